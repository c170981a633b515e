#!/usr/bin/env bash
# Runs inside the LocalStack container when it is ready (docker-compose.yml mounts it): deploys Jobway from the
# real template.yaml (LocalStack's CloudFormation applies the SAM transform) and seeds an API key for tenant
# "local". Idempotent: a second start updates the stack and rewrites the same key.
set -euo pipefail

PROJECT=/opt/jobway
STACK="${JOBWAY_STACK:-jobway}"
BUCKET="${JOBWAY_ARTIFACT_BUCKET:-jobway-artifacts}"
KEY="${JOBWAY_LOCAL_API_KEY:?docker-compose.yml sets JOBWAY_LOCAL_API_KEY}"

for function in api worker notifier sweeper; do
  if [[ ! -f "$PROJECT/functions/$function/target/function.zip" ]]; then
    echo "jobway: functions/$function/target/function.zip is missing: run ./jobway build, then restart" >&2
    exit 1
  fi
done

awslocal s3api head-bucket --bucket "$BUCKET" 2>/dev/null || awslocal s3 mb "s3://$BUCKET"

# CodeUri paths are relative to the template; the packaged copy points at the uploaded zips
cd "$PROJECT"
awslocal cloudformation package --template-file template.yaml --s3-bucket "$BUCKET" \
  --output-template-file /tmp/jobway-packaged.yaml
awslocal cloudformation deploy --template-file /tmp/jobway-packaged.yaml --stack-name "$STACK" \
  --capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND --no-fail-on-empty-changeset \
  --parameter-overrides AllowPrivateCallbackUrls=true

output() {
  awslocal cloudformation describe-stacks --stack-name "$STACK" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text
}

# An API key is stored as the SHA-256 of the whole key (see ApiKeys); the key id is the part between jw_ and _.
key_id="${KEY#jw_}"
key_id="${key_id%%_*}"
key_hash="$(printf '%s' "$KEY" | sha256sum | cut -d' ' -f1)"
now_ms="$(($(date +%s) * 1000))"
awslocal dynamodb put-item --table-name "$(output ApiKeysTableName)" --item "$(cat <<JSON
{"keyHash": {"S": "$key_hash"}, "keyId": {"S": "$key_id"}, "tenantId": {"S": "local"},
 "scopes": {"S": ""}, "createdAt": {"N": "$now_ms"}}
JSON
)"

# LocalStack serves an API with id ID at http://ID.execute-api.localhost.localstack.cloud:4566
api_id="$(output ApiUrl | sed -E 's#^https://([^.]+)\..*#\1#')"
echo "jobway: deployed stack $STACK"
echo "  API        http://$api_id.execute-api.localhost.localstack.cloud:4566"
echo "  WebSocket  $(output WebSocketUrl)"
echo "  API key    $KEY  (tenant 'local')"
