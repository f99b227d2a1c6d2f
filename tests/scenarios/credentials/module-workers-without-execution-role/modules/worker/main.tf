# Internal "worker" module: one task definition per queue consumer. The execution role is
# optional because most workers run public or ECR images (the module's author assumed).
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

variable "name" {
  type = string
}

variable "image" {
  type = string
}

variable "registry_secret_arn" {
  type    = string
  default = null
}

variable "execution_role_arn" {
  type    = string
  default = null
}

variable "replicas" {
  type    = number
  default = 1
}

locals {
  credentials = var.registry_secret_arn == null ? {} : {
    repositoryCredentials = { credentialsParameter = var.registry_secret_arn }
  }
}

resource "aws_ecs_task_definition" "this" {
  family                   = "worker-${var.name}"
  requires_compatibilities = ["EC2"]
  network_mode             = "bridge"
  execution_role_arn       = var.execution_role_arn
  container_definitions = jsonencode([merge({
    name      = var.name
    image     = var.image
    memory    = 256
    essential = true
  }, local.credentials)])
}

output "family" {
  value = aws_ecs_task_definition.this.family
}
