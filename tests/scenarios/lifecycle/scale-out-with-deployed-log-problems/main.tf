# Two scheduled-report services already deployed. The next change scales "reports" out and fixes
# the exporter's log permissions; it does not touch the reports task definition.
# - "reports" uses awslogs-create-group = "true" with only AmazonECSTaskExecutionRolePolicy (no
#   logs:CreateLogGroup) and a group nobody creates: its tasks already fail today. The change
#   does not introduce that: the finding is not new.
# - "exporter" was deployed with a policy for the wrong log group (PG704); the change grants its
#   own group (var.exporter_log_resource), so after this plan it works.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "reports_count" {
  type    = number
  default = 1
}

variable "exporter_log_group_in_policy" {
  type    = string
  default = "/ecs/report-exporter-old"
}

data "aws_caller_identity" "current" {}

locals {
  account = data.aws_caller_identity.current.account_id
  repo    = "${data.aws_caller_identity.current.account_id}.dkr.ecr.us-east-1.amazonaws.com"
}

resource "aws_vpc" "main" {
  cidr_block = "10.60.0.0/16"
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "public" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.60.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}

resource "aws_security_group" "tasks" {
  name   = "reports-tasks"
  vpc_id = aws_vpc.main.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_ecs_cluster" "reports" {
  name = "reports"
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

# ---- reports: managed policy only
resource "aws_iam_role" "reports_execution" {
  name               = "reports-execution"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy_attachment" "reports_execution" {
  role       = aws_iam_role.reports_execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_ecs_task_definition" "reports" {
  family                   = "reports"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.reports_execution.arn
  container_definitions = jsonencode([{
    name      = "reports"
    image     = "${local.repo}/reports:2.0.7"
    essential = true
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = "/ecs/reports"
        awslogs-region        = "us-east-1"
        awslogs-stream-prefix = "reports"
        awslogs-create-group  = "true"
      }
    }
  }])
  depends_on = [aws_iam_role_policy_attachment.reports_execution]
}

resource "aws_ecs_service" "reports" {
  name            = "reports"
  cluster         = aws_ecs_cluster.reports.id
  task_definition = aws_ecs_task_definition.reports.arn
  desired_count   = var.reports_count
  launch_type     = "FARGATE"
  network_configuration {
    subnets          = [aws_subnet.public.id]
    security_groups  = [aws_security_group.tasks.id]
    assign_public_ip = true
  }
  depends_on = [aws_route_table_association.public]
}

# ---- exporter: custom least-privilege policy
resource "aws_cloudwatch_log_group" "exporter" {
  name = "/ecs/report-exporter"
}

resource "aws_iam_role" "exporter_execution" {
  name               = "report-exporter-execution"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy" "exporter_execution" {
  name = "pull-and-log"
  role = aws_iam_role.exporter_execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]
        Resource = "*"
      },
      {
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "arn:aws:logs:us-east-1:${local.account}:log-group:${var.exporter_log_group_in_policy}:*"
      },
    ]
  })
}

resource "aws_ecs_task_definition" "exporter" {
  family                   = "report-exporter"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.exporter_execution.arn
  container_definitions = jsonencode([{
    name      = "exporter"
    image     = "${local.repo}/report-exporter:0.4.2"
    essential = true
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.exporter.name
        awslogs-region        = "us-east-1"
        awslogs-stream-prefix = "exporter"
      }
    }
  }])
  depends_on = [aws_iam_role_policy.exporter_execution]
}

resource "aws_ecs_service" "exporter" {
  name            = "report-exporter"
  cluster         = aws_ecs_cluster.reports.id
  task_definition = aws_ecs_task_definition.exporter.arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets          = [aws_subnet.public.id]
    security_groups  = [aws_security_group.tasks.id]
    assign_public_ip = true
  }
  depends_on = [aws_route_table_association.public]
}
