# The three pullguard modules wired together: registry credentials stored
# write-only (never in plan or state) and encrypted with a key the module
# creates, an execution role granted exactly what the task needs, and a task
# definition that waits for the role's policies.

terraform {
  required_version = ">= 1.11.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.90.0, < 7.0.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "registry_username" {
  description = "Registry user (fake default for the example)."
  type        = string
  default     = "example-user"
  ephemeral   = true
  sensitive   = true
}

variable "registry_password" {
  description = "Registry token (fake default for the example)."
  type        = string
  default     = "example-password"
  ephemeral   = true
  sensitive   = true
}

variable "registry_credentials_version" {
  description = "Increase to store new registry credentials (write-only values are invisible to Terraform)."
  type        = number
  default     = 1
}

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  name           = "wired-app"
  log_group_name = "/ecs/${local.name}"
  # Known before apply, so the role can be scoped to the group the task-definition module creates.
  log_group_arn = "arn:aws:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:log-group:${local.log_group_name}"
}

module "registry_credentials" {
  source = "../../modules/registry-credentials"

  name                     = "${local.name}/ghcr"
  write_only               = true
  username_wo              = var.registry_username
  password_wo              = var.registry_password
  secret_string_wo_version = var.registry_credentials_version
  create_kms_key           = true
  recovery_window_in_days  = 0
}

module "execution_role" {
  source = "../../modules/execution-role"

  name           = "${local.name}-execution"
  log_group_arns = [local.log_group_arn]
  inline_policy_documents = {
    registry-credentials = module.registry_credentials.execution_role_policy_json
  }
}

module "task_definition" {
  source = "../../modules/task-definition"

  family                      = local.name
  cpu                         = 256
  memory                      = 512
  execution_role_arn          = module.execution_role.arn
  execution_role_dependencies = concat(module.execution_role.policy_dependencies, [module.registry_credentials.secret_version_id])
  log_group_name              = local.log_group_name

  containers = [{
    name                            = "api"
    image                           = "ghcr.io/acme/api:1.4.2"
    registry_credentials_secret_arn = module.registry_credentials.secret_arn
    port_mappings                   = [{ container_port = 8080 }]
    environment                     = { LOG_LEVEL = "info" }
  }]
}

output "task_definition_arn" {
  value = module.task_definition.arn
}

output "secret_arn" {
  value = module.registry_credentials.secret_arn
}
