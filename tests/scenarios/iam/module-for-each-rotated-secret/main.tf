# Two services built from one in-house module with for_each. Each instance gets its own
# execution role, with GetSecretValue on the secrets listed in readable_secret_arns.
# The recommendations team moved to a new Quay robot account (secret quay_v2) for its image but
# left readable_secret_arns on the old secret: its execution role cannot read the secret it uses.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

resource "aws_secretsmanager_secret" "quay_v1" {
  name = "shared/quay-robot"
}

resource "aws_secretsmanager_secret_version" "quay_v1" {
  secret_id     = aws_secretsmanager_secret.quay_v1.id
  secret_string = jsonencode({ username = "acme+shared", password = "FAKEROBOTTOKEN01" })
}

resource "aws_secretsmanager_secret" "quay_v2" {
  name = "recs/quay-robot"
}

resource "aws_secretsmanager_secret_version" "quay_v2" {
  secret_id     = aws_secretsmanager_secret.quay_v2.id
  secret_string = jsonencode({ username = "acme+recs", password = "FAKEROBOTTOKEN02" })
}

locals {
  services = {
    catalog = {
      image                = "quay.io/acme/catalog:4.2.0"
      credentials          = aws_secretsmanager_secret.quay_v1.arn
      readable_secret_arns = [aws_secretsmanager_secret.quay_v1.arn]
    }
    recs = {
      image                = "quay.io/acme/recs:1.9.4"
      credentials          = aws_secretsmanager_secret.quay_v2.arn
      readable_secret_arns = [aws_secretsmanager_secret.quay_v1.arn]
    }
  }
}

module "service" {
  source   = "./modules/service"
  for_each = local.services

  name                 = each.key
  image                = each.value.image
  credentials_secret   = each.value.credentials
  readable_secret_arns = each.value.readable_secret_arns
}
