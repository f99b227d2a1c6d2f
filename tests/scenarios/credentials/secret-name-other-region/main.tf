# The tracking service runs in us-east-1 and, since this change, also in eu-west-1 through a
# provider alias. The GHCR login secret exists only in us-east-1 and both module instances pass it
# by its bare name. A name resolves only in the task's own region and account, so the eu-west-1
# tasks look for "tracking/ghcr" in eu-west-1 and fail (ResourceNotFoundException); the
# us-east-1 instance is fine. The eu-west-1 worker passes the full ARN and works (cross-region
# reads by ARN are allowed).
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "eu"
  region = "eu-west-1"
}

resource "aws_secretsmanager_secret" "ghcr" {
  name = "tracking/ghcr"
}

resource "aws_secretsmanager_secret_version" "ghcr" {
  secret_id     = aws_secretsmanager_secret.ghcr.id
  secret_string = jsonencode({ username = "acme-ci", password = "ghp_FAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKE0000" })
}

module "tracking_us" {
  source          = "./modules/service"
  name            = "tracking"
  image           = "ghcr.io/acme-corp/tracking:7.3.0"
  registry_secret = aws_secretsmanager_secret.ghcr.name
}

module "tracking_eu" {
  source          = "./modules/service"
  providers       = { aws = aws.eu }
  name            = "tracking"
  image           = "ghcr.io/acme-corp/tracking:7.3.0"
  registry_secret = aws_secretsmanager_secret.ghcr.name
}

module "tracking_worker_eu" {
  source          = "./modules/service"
  providers       = { aws = aws.eu }
  name            = "tracking-worker"
  image           = "ghcr.io/acme-corp/tracking-worker:7.3.0"
  registry_secret = aws_secretsmanager_secret.ghcr.arn
}
