terraform {
  # 1.9: validations that refer to other variables (containers → execution_role_arn, memory → cpu).
  required_version = ">= 1.9.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0.0, < 7.0.0"
    }
  }
}
