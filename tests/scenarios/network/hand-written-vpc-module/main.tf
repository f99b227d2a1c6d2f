# The platform team's VPC module (a hand-written terraform-aws-modules/vpc look-alike) and two
# Fargate services of one application:
# - web runs in the private subnets (NAT gateway per AZ): works.
# - migrate, a one-off schema migration service, was put in the database subnets "next to the
#   database": their route table has no 0.0.0.0/0 route and the VPC has no endpoints, so the image
#   pull times out.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

module "vpc" {
  source = "./modules/vpc"
  name   = "shop"
  cidr   = "10.100.0.0/16"
  azs    = ["us-east-1a", "us-east-1b", "us-east-1c"]
}

locals {
  app_subnet_ids       = module.vpc.private_subnets
  migration_subnet_ids = module.vpc.database_subnets
}

resource "aws_security_group" "app" {
  name_prefix = "shop-app-"
  vpc_id      = module.vpc.vpc_id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "execution" {
  name               = "shop-execution"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_cloudwatch_log_group" "shop" {
  name = "/ecs/shop"
}

resource "aws_ecs_cluster" "shop" {
  name = "shop"
}

resource "aws_ecs_task_definition" "shop" {
  for_each                 = { web = "shop-web:12.4.0", migrate = "shop-web:12.4.0" }
  family                   = "shop-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name      = each.key
    image     = "123456789012.dkr.ecr.us-east-1.amazonaws.com/${each.value}"
    essential = true
    command   = each.key == "migrate" ? ["bin/migrate"] : null
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.shop.name
        awslogs-region        = "us-east-1"
        awslogs-stream-prefix = each.key
      }
    }
  }])
  depends_on = [aws_iam_role_policy_attachment.execution]
}

resource "aws_ecs_service" "web" {
  name            = "shop-web"
  cluster         = aws_ecs_cluster.shop.id
  task_definition = aws_ecs_task_definition.shop["web"].arn
  desired_count   = 3
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = local.app_subnet_ids
    security_groups = [aws_security_group.app.id]
  }
}

resource "aws_ecs_service" "migrate" {
  name            = "shop-migrate"
  cluster         = aws_ecs_cluster.shop.id
  task_definition = aws_ecs_task_definition.shop["migrate"].arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = local.migration_subnet_ids
    security_groups = [aws_security_group.app.id]
  }
}
