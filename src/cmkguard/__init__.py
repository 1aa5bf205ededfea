"""cmkguard: prove every SageMaker notebook instance is encrypted with a customer managed KMS
key."""

__version__ = "0.1.0"
