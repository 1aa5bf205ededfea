"""Terraform source (HCL and .tf.json): discovery, parsing, evaluation, inventory."""
