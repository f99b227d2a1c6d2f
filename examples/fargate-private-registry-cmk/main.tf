# A Fargate service pulling a private image from GitHub Container Registry.
# The registry credentials live in Secrets Manager, encrypted with a customer
# managed KMS key; tasks run in private subnets and reach ghcr.io through a NAT
# gateway. Every link pullguard checks is in place: this plan has no findings.

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
  description = "GitHub user that owns the package token (fake default for the example)."
  type        = string
  default     = "example-user"
  sensitive   = true
}

variable "registry_password" {
  description = "GitHub token with read:packages (fake default for the example)."
  type        = string
  default     = "example-password"
  sensitive   = true
}

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  name      = "ghcr-app"
  image     = "ghcr.io/acme/api:1.4.2"
  log_group = "/ecs/${local.name}"
  azs       = ["us-east-1a", "us-east-1b"]
}

# --- network: private subnets whose default route is a NAT gateway -----------

resource "aws_vpc" "this" {
  cidr_block           = "10.40.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = { Name = local.name }
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id
}

resource "aws_subnet" "public" {
  vpc_id            = aws_vpc.this.id
  cidr_block        = "10.40.0.0/24"
  availability_zone = local.azs[0]
  tags              = { Name = "${local.name}-public" }
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.this.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.this.id
  }
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "this" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public.id
  depends_on    = [aws_internet_gateway.this]
}

resource "aws_subnet" "private" {
  count             = length(local.azs)
  vpc_id            = aws_vpc.this.id
  cidr_block        = "10.40.${10 + count.index}.0/24"
  availability_zone = local.azs[count.index]
  tags              = { Name = "${local.name}-private-${count.index}" }
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.this.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.this.id
  }
}

resource "aws_route_table_association" "private" {
  count          = length(local.azs)
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private.id
}

resource "aws_security_group" "task" {
  name        = "${local.name}-task"
  description = "Tasks: HTTPS out (registry, Secrets Manager, CloudWatch Logs)"
  vpc_id      = aws_vpc.this.id

  egress {
    description = "HTTPS to the registry and AWS APIs"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# --- registry credentials: secret encrypted with a customer managed key -----

resource "aws_kms_key" "registry" {
  description             = "Encrypts the ${local.name} registry credentials"
  deletion_window_in_days = 7
  enable_key_rotation     = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AccountRootAdministersKey"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}

resource "aws_secretsmanager_secret" "registry" {
  name                    = "${local.name}/ghcr"
  kms_key_id              = aws_kms_key.registry.arn
  recovery_window_in_days = 0
}

resource "aws_secretsmanager_secret_version" "registry" {
  secret_id = aws_secretsmanager_secret.registry.id
  secret_string = jsonencode({
    username = var.registry_username
    password = var.registry_password
  })
}

# --- task execution role ------------------------------------------------------

resource "aws_iam_role" "execution" {
  name = "${local.name}-execution"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "execution" {
  name = "task-execution"
  role = aws_iam_role.execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ReadRegistryCredentials"
        Effect   = "Allow"
        Action   = "secretsmanager:GetSecretValue"
        Resource = aws_secretsmanager_secret.registry.arn
      },
      {
        Sid       = "DecryptRegistryCredentials"
        Effect    = "Allow"
        Action    = "kms:Decrypt"
        Resource  = aws_kms_key.registry.arn
        Condition = { StringEquals = { "kms:ViaService" = "secretsmanager.${data.aws_region.current.name}.amazonaws.com" } }
      },
      {
        Sid      = "WriteLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = [aws_cloudwatch_log_group.app.arn, "${aws_cloudwatch_log_group.app.arn}:log-stream:*"]
      },
    ]
  })
}

# --- ECS ----------------------------------------------------------------------

resource "aws_cloudwatch_log_group" "app" {
  name              = local.log_group
  retention_in_days = 30
}

resource "aws_ecs_cluster" "this" {
  name = local.name
}

resource "aws_ecs_task_definition" "app" {
  family                   = local.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.execution.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([{
    name                  = "api"
    image                 = local.image
    essential             = true
    repositoryCredentials = { credentialsParameter = aws_secretsmanager_secret.registry.arn }
    portMappings          = [{ containerPort = 8080, hostPort = 8080, protocol = "tcp" }]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.app.name
        awslogs-region        = data.aws_region.current.name
        awslogs-stream-prefix = "api"
      }
    }
  }])

  # No task may start before the role can read the secret and the value exists.
  depends_on = [aws_iam_role_policy.execution, aws_secretsmanager_secret_version.registry]
}

resource "aws_ecs_service" "app" {
  name             = local.name
  cluster          = aws_ecs_cluster.this.id
  task_definition  = aws_ecs_task_definition.app.arn
  desired_count    = 1
  launch_type      = "FARGATE"
  platform_version = "1.4.0"

  network_configuration {
    subnets          = aws_subnet.private[*].id
    security_groups  = [aws_security_group.task.id]
    assign_public_ip = false
  }

  depends_on = [aws_route_table_association.private, aws_iam_role_policy.execution]
}

output "secret_arn" {
  value = aws_secretsmanager_secret.registry.arn
}
