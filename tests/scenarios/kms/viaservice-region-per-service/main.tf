# A platform module stamps out one Fargate service per team (for_each). Each service gets its own
# private-registry secret, encrypted with the shared customer managed key whose policy delegates to
# the account, and an execution role whose kms:Decrypt is limited with kms:ViaService to Secrets
# Manager. Secrets Manager decrypts with kms:ViaService = secretsmanager.<secret region>.amazonaws.com.
#  - orders:   StringEquals secretsmanager.us-east-1.amazonaws.com   -> matches, passes
#  - ledger:   StringLike   secretsmanager.*.amazonaws.com           -> matches, passes
#  - invoices: copied from the us-west-2 DR stack: secretsmanager.us-west-2.amazonaws.com never
#              matches a us-east-1 secret -> KMS refuses (PG401)
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

data "aws_caller_identity" "current" {}

resource "aws_kms_key" "platform" {
  description         = "platform secrets"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "EnableIAMUserPermissions"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}

locals {
  services = {
    orders   = { image = "registry.acme.example/orders:1.12.0", via_operator = "StringEquals", via = "secretsmanager.us-east-1.amazonaws.com" }
    ledger   = { image = "registry.acme.example/ledger:0.9.4", via_operator = "StringLike", via = "secretsmanager.*.amazonaws.com" }
    invoices = { image = "registry.acme.example/invoices:2.0.1", via_operator = "StringEquals", via = "secretsmanager.us-west-2.amazonaws.com" }
  }
}

module "service" {
  source   = "./modules/service"
  for_each = local.services

  name         = each.key
  image        = each.value.image
  kms_key_arn  = aws_kms_key.platform.arn
  via_operator = each.value.via_operator
  via_service  = each.value.via
}
