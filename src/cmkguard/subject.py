"""What the control judges, named once: the SageMaker notebook instance and the settings of it
that the control reads, in Terraform's AWS provider and in the SageMaker API.

Sources find notebooks and their settings by these names; nothing else spells them.
"""

from __future__ import annotations

NOTEBOOK_TYPE = "aws_sagemaker_notebook_instance"
"""The Terraform resource type of a notebook instance."""

CFN_NOTEBOOK_TYPE = "AWS::SageMaker::NotebookInstance"
"""The CloudFormation resource type of a notebook instance; its properties take the API's names
(``KmsKeyId``, ``RoleArn``)."""

KEY_ARGUMENT = "kms_key_id"
"""The notebook argument naming the KMS key that encrypts its storage volume."""

ROLE_ARGUMENT = "role_arn"
"""The notebook argument naming the IAM role the notebook runs as (and uses the key as)."""

LIFECYCLE_ARGUMENT = "lifecycle_config_name"
"""The notebook argument naming its lifecycle configuration (a replacement's backup hook)."""

LIST_NOTEBOOKS = "ListNotebookInstances"
"""The SageMaker API operation listing notebook instances (paginated)."""

DESCRIBE_NOTEBOOK = "DescribeNotebookInstance"
"""The SageMaker API operation describing one notebook: the only one that shows its key."""

API_KEY_FIELD = "KmsKeyId"
"""The ``DescribeNotebookInstance`` response field holding the notebook's key."""

API_ROLE_FIELD = "RoleArn"
"""The ``DescribeNotebookInstance`` response field holding the notebook's role."""
