"""Verifies one webhook with the Standard Webhooks reference library, not with Jobway's own code.

usage: verify_standard_webhook.py SECRET HEADERS_JSON < BODY   (exit 0 and "verified" when valid)
"""
import json
import sys

from standardwebhooks.webhooks import Webhook

secret, headers = sys.argv[1], json.loads(sys.argv[2])
body = sys.stdin.read()
Webhook(secret).verify(body, headers)
print("verified")
