"""CloudFormation templates (YAML/JSON, SAM, nested stacks, CDK cloud assemblies)."""
