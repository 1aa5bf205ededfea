key = "alias/aws/sagemaker"
