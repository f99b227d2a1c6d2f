# One application's VPC and its ECS services created in the same first plan: subnet and security
# group ids are known only after apply. The services come from a local module written like
# terraform-aws-modules/ecs//modules/service (dynamic network_configuration and
# capacity_provider_strategy blocks); the VPC module has the terraform-aws-modules/vpc layout with
# a single NAT gateway.
# - api runs in the private subnets (NAT) on the FARGATE capacity provider, egress open: pulls.
# - reports runs in the private subnets with the default launch type (FARGATE): pulls.
# - ledger was put in the intra subnets (no 0.0.0.0/0 route) and the VPC has no endpoints: the
#   pull times out.
# - web runs in the public subnets (default route to the internet gateway) on FARGATE_SPOT with a
#   FARGATE base, but assign_public_ip is false: the tasks have no public address, no egress.
# - jobs runs in the private subnets, but its group only allows egress to PostgreSQL in the VPC:
#   nothing allows TCP 443 out.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

locals {
  name     = "ledger"
  azs      = ["us-east-1a", "us-east-1b"]
  registry = "123456789012.dkr.ecr.us-east-1.amazonaws.com"
}

module "vpc" {
  source          = "./modules/vpc"
  name            = local.name
  cidr            = "10.42.0.0/16"
  azs             = local.azs
  public_subnets  = ["10.42.0.0/24", "10.42.1.0/24"]
  private_subnets = ["10.42.10.0/24", "10.42.11.0/24"]
  intra_subnets   = ["10.42.20.0/24", "10.42.21.0/24"]
}

resource "aws_ecs_cluster" "this" {
  name = local.name
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]
  default_capacity_provider_strategy {
    capacity_provider = "FARGATE"
    weight            = 1
  }
}

locals {
  services = {
    api = {
      image      = "${local.registry}/ledger-api:2.14.1"
      subnet_ids = module.vpc.private_subnets
      public_ip  = false
      strategy   = { fargate = { capacity_provider = "FARGATE", weight = 1 } }
      egress     = null
    }
    reports = {
      image      = "${local.registry}/ledger-reports:2.14.1"
      subnet_ids = module.vpc.private_subnets
      public_ip  = false
      strategy   = null
      egress     = null
    }
    ledger = {
      image      = "${local.registry}/ledger-core:2.14.1"
      subnet_ids = module.vpc.intra_subnets
      public_ip  = false
      strategy   = null
      egress     = null
    }
    web = {
      image      = "${local.registry}/ledger-web:2.14.1"
      subnet_ids = module.vpc.public_subnets
      public_ip  = false
      strategy = {
        spot     = { capacity_provider = "FARGATE_SPOT", weight = 3 }
        fallback = { capacity_provider = "FARGATE", weight = 1, base = 1 }
      }
      egress = null
    }
    jobs = {
      image      = "${local.registry}/ledger-jobs:2.14.1"
      subnet_ids = module.vpc.private_subnets
      public_ip  = false
      strategy   = null
      egress = {
        postgres = { ip_protocol = "tcp", from_port = 5432, to_port = 5432, cidr_ipv4 = "10.42.0.0/16" }
      }
    }
  }
}

module "service" {
  source   = "./modules/service"
  for_each = local.services

  name                        = each.key
  cluster_arn                 = aws_ecs_cluster.this.arn
  image                       = each.value.image
  vpc_id                      = module.vpc.vpc_id
  subnet_ids                  = each.value.subnet_ids
  assign_public_ip            = each.value.public_ip
  capacity_provider_strategy  = each.value.strategy
  security_group_egress_rules = each.value.egress != null ? each.value.egress : { all = { ip_protocol = "-1", cidr_ipv4 = "0.0.0.0/0" } }

  depends_on = [aws_ecs_cluster_capacity_providers.this]
}
