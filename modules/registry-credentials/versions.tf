terraform {
  # 1.11: write-only attributes (secret_string_wo) and cross-variable validation.
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 5.90: aws_secretsmanager_secret_version.secret_string_wo.
      version = ">= 5.90.0, < 7.0.0"
    }
  }
}
