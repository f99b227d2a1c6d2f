# BROKEN ON PURPOSE (pullguard PG101). The image reference has uppercase
# letters in the repository path, which no registry accepts: the task fails
# with "CannotPullContainerError: invalid reference format". Terraform and the
# ECS API accept it, so only a plan-time check catches it.
# Fix: "public.ecr.aws/nginx/nginx:1.27".

terraform {
  required_version = ">= 1.5.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0.0, < 7.0.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

resource "aws_ecs_task_definition" "app" {
  family                   = "badimage-app"
  requires_compatibilities = ["EC2"]
  network_mode             = "bridge"
  memory                   = "256"

  container_definitions = jsonencode([{
    name         = "web"
    image        = "public.ecr.aws/Nginx/Nginx:1.27"
    essential    = true
    portMappings = [{ containerPort = 80, hostPort = 0, protocol = "tcp" }]
  }])
}
