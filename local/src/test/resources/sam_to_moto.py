"""Deploys template.yaml to moto's CloudFormation: SAM's own transform, then what moto lacks replaced.

Usage: python sam_to_moto.py TEMPLATE ENDPOINT STACK_NAME
Prints JSON: the stack's status, the resources left out, each logical id's physical id, and the event source
mappings moto created (as Lambda's ListEventSourceMappings returns them), for MotoCloudFormationTest to check
against the template. (This project's Maven mirror has no AWS SDK for Java CloudFormation client of the SDK's
version, so boto3, which comes with moto, does the CloudFormation and Lambda calls.)
The transform is aws-sam-translator's (what `sam deploy` runs), with CodeUri pointed at S3 as `sam package` does.
Then, for moto 5.2.5's CloudFormation:
- AWS::Lambda::Alias and AWS::ApiGatewayV2::* are not implemented: they are removed; a Ref to an alias becomes
  the function's ARN (what the alias points at), a Ref / GetAtt / ${} of a removed API becomes its logical id.
- the functions' code is not deployed (moto runs Lambda code only in Docker): each gets a one-line ZipFile.
"""
import json
import re
import sys
import time

import boto3

from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

UNSUPPORTED = ("AWS::Lambda::Alias", "AWS::ApiGatewayV2::")


class NoManagedPolicies:
    """The template names no managed policy; the translator would otherwise ask IAM for their ARNs."""

    def load(self):
        return {}


def sam_transform(path):
    template = yaml_parse(open(path).read())
    for name, resource in template["Resources"].items():
        if resource["Type"] == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = f"s3://jobway-artifacts/{name}.zip"
    return transform(template, {}, NoManagedPolicies())


def for_moto(template):
    resources = template["Resources"]
    alias_functions = {name: r["Properties"]["FunctionName"]["Ref"]
                       for name, r in resources.items() if r["Type"] == "AWS::Lambda::Alias"}
    removed = {name: r["Type"] for name, r in resources.items() if r["Type"].startswith(UNSUPPORTED)}

    def substitute(match):
        return match.group(1) if match.group(1) in removed else match.group(0)

    def rewrite(node):
        if isinstance(node, dict):
            if set(node) == {"Ref"} and node["Ref"] in alias_functions:
                return {"Fn::GetAtt": [alias_functions[node["Ref"]], "Arn"]}
            if set(node) == {"Ref"} and node["Ref"] in removed:
                return node["Ref"]
            if set(node) == {"Fn::GetAtt"} and node["Fn::GetAtt"][0] in removed:
                return ".".join(node["Fn::GetAtt"])
            if set(node) == {"Fn::Sub"} and isinstance(node["Fn::Sub"], str):
                return {"Fn::Sub": re.sub(r"\$\{([A-Za-z0-9]+)(?:\.[A-Za-z]+)?\}", substitute, node["Fn::Sub"])}
            return {key: rewrite(value) for key, value in node.items()}
        if isinstance(node, list):
            return [rewrite(value) for value in node]
        return node

    for name in removed:
        del resources[name]
    template = rewrite(template)
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::Lambda::Function":
            resource["Properties"]["Code"] = {"ZipFile": "not deployed: moto runs Lambda code only in Docker"}
    return template, removed


def deploy(template, endpoint, stack):
    settings = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
                    aws_secret_access_key="test")
    cloudformation = boto3.client("cloudformation", **settings)
    cloudformation.create_stack(StackName=stack, TemplateBody=json.dumps(template),
                                Capabilities=["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"])
    deadline = time.monotonic() + 60
    while True:
        description = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]
        if not description["StackStatus"].endswith("IN_PROGRESS") or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    physical = {r["LogicalResourceId"]: r["PhysicalResourceId"]
                for r in cloudformation.describe_stack_resources(StackName=stack)["StackResources"]
                if r.get("PhysicalResourceId")}
    mappings = boto3.client("lambda", **settings).list_event_source_mappings()["EventSourceMappings"]
    return {"status": description["StackStatus"], "reason": description.get("StackStatusReason"),
            "physical": physical, "mappings": mappings}


if __name__ == "__main__":
    template_path, moto_endpoint, stack_name = sys.argv[1:4]
    moto_template, removed_resources = for_moto(sam_transform(template_path))
    report = deploy(moto_template, moto_endpoint, stack_name)
    report["removed"] = removed_resources
    json.dump(report, sys.stdout, indent=1, default=str)
