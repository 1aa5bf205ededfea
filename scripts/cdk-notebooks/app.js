// A small CDK app whose synthesised templates are the CDK test case (tests/cases/cfn-cdk-app).
// Regenerate with scripts/synth_cdk_case.py; the synthesised output is committed.
const cdk = require("aws-cdk-lib");
const iam = require("aws-cdk-lib/aws-iam");
const kms = require("aws-cdk-lib/aws-kms");
const sagemaker = require("aws-cdk-lib/aws-sagemaker");

class NotebooksStack extends cdk.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);
    const role = new iam.Role(this, "NotebookRole", {
      assumedBy: new iam.ServicePrincipal("sagemaker.amazonaws.com"),
    });
    // The default CDK key policy: the account root gets kms:* (delegation to IAM).
    const key = new kms.Key(this, "NotebookKey", { enableKeyRotation: true });
    key.grantEncryptDecrypt(role);
    new sagemaker.CfnNotebookInstance(this, "Encrypted", {
      instanceType: "ml.t3.medium",
      roleArn: role.roleArn,
      kmsKeyId: key.keyArn,
    });
    // SageMaker's AWS managed key by its alias ARN, built from the stack's partition/region/account.
    new sagemaker.CfnNotebookInstance(this, "AwsManaged", {
      instanceType: "ml.t3.medium",
      roleArn: role.roleArn,
      kmsKeyId: this.formatArn({
        service: "kms",
        resource: "alias",
        resourceName: "aws/sagemaker",
        arnFormat: cdk.ArnFormat.SLASH_RESOURCE_NAME,
      }),
    });
    new sagemaker.CfnNotebookInstance(this, "Unencrypted", {
      instanceType: "ml.t3.medium",
      roleArn: role.roleArn,
    });
  }
}

class PinnedStack extends cdk.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);
    const role = new iam.Role(this, "NotebookRole", {
      assumedBy: new iam.ServicePrincipal("sagemaker.amazonaws.com"),
    });
    const key = new kms.Key(this, "HmacKey", {
      keySpec: kms.KeySpec.HMAC_256,
      keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC,
    });
    new sagemaker.CfnNotebookInstance(this, "OnHmacKey", {
      instanceType: "ml.t3.medium",
      roleArn: role.roleArn,
      kmsKeyId: key.keyId,
    });
    new sagemaker.CfnNotebookInstance(this, "OtherRegionKey", {
      instanceType: "ml.t3.medium",
      roleArn: role.roleArn,
      kmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    });
  }
}

// The context `cdk synth` sets by default: construct paths, asset paths and version reporting in
// the templates, so the output has the shape the CDK CLI writes.
const app = new cdk.App({
  outdir: process.env.CDK_OUTDIR || "cdk.out",
  context: {
    "aws:cdk:enable-path-metadata": true,
    "aws:cdk:enable-asset-metadata": true,
    "aws:cdk:version-reporting": true,
  },
});
new NotebooksStack(app, "NotebooksStack");
new PinnedStack(app, "PinnedStack", {
  stackName: "pinned-notebooks",
  env: { account: "111122223333", region: "eu-west-1" },
});
app.synth();
