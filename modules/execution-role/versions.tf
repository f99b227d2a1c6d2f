terraform {
  # Nothing newer than 1.3 is used by the module (its tests need >= 1.7 for mock_provider).
  required_version = ">= 1.3.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0.0, < 7.0.0"
    }
  }
}
