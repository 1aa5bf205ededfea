key = "alias/aws/ebs"
