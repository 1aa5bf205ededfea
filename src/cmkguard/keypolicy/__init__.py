"""Key-policy semantics: parse a KMS key policy and decide, as IAM does, whether a principal may
perform an action. Knows nothing of Terraform, SageMaker or AWS APIs.

``document`` parses, ``matching`` compares actions and principals three-valued, ``evaluate``
decides.
"""
