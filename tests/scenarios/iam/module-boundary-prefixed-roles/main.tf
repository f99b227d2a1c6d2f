# A platform module creates the permissions boundary every application role must carry; a service
# module creates each service's execution role (name_prefix, path /apps/), its Docker Hub secret and
# the task definition. The boundary allows everything but IAM and Organizations, and denies Secrets
# Manager outside the apps/ prefix (a Deny written with NotResource).
#  - "api": secret apps/api/dockerhub, granted by the role's own policy, inside the boundary: passes.
#  - "etl": secret data/etl/dockerhub (the data team's naming); its role's policy allows it, but the
#    boundary's Deny applies to the role, and an explicit Deny wins: refused (PG302).
#  - "jobs": secret apps/jobs/dockerhub whose resource policy denies reads that do not come through
#    the VPC endpoint vpce-0f3a9c2e7d1b4a650 (aws:SourceVpce). Whether the agent's call goes
#    through that endpoint depends on the network path, which is not in this configuration:
#    undecided.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-west-2"
}

module "boundary" {
  source = "./modules/boundary"
  name   = "apps-boundary"
}

locals {
  services = {
    api  = { secret = "apps/api/dockerhub", image = "acme/api:4.0.2", vpce = null }
    etl  = { secret = "data/etl/dockerhub", image = "acme/etl:1.12.0", vpce = null }
    jobs = { secret = "apps/jobs/dockerhub", image = "acme/jobs:0.9.7", vpce = "vpce-0f3a9c2e7d1b4a650" }
  }
}

module "service" {
  source       = "./modules/service"
  for_each     = local.services
  name         = each.key
  image        = each.value.image
  secret_name  = each.value.secret
  boundary_arn = module.boundary.arn
  secrets_vpce = each.value.vpce
}
