# A small staging VPC with public subnets only: the VPC's main route table (managed with
# aws_default_route_table) sends 0.0.0.0/0 to the internet gateway and the subnets have no explicit
# association, so they use it. No NAT gateway, no VPC endpoints.
# - web sets assign_public_ip = true: its task ENI gets a public address and pulls over the IGW.
# - worker was copied from a production module that runs in private subnets and leaves
#   assign_public_ip unset (false): a task ENI without a public IP cannot use the IGW, the pull
#   times out.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "image_tag" {
  type    = string
  default = "2026.11.20-4f1c2ab"
}

resource "aws_vpc" "staging" {
  cidr_block           = "172.31.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_internet_gateway" "staging" {
  vpc_id = aws_vpc.staging.id
}

resource "aws_default_route_table" "staging" {
  default_route_table_id = aws_vpc.staging.default_route_table_id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.staging.id
  }
}

resource "aws_subnet" "public" {
  for_each                = toset(["us-east-1a", "us-east-1b", "us-east-1c"])
  vpc_id                  = aws_vpc.staging.id
  availability_zone       = each.key
  cidr_block              = cidrsubnet("172.31.0.0/16", 4, index(["us-east-1a", "us-east-1b", "us-east-1c"], each.key))
  map_public_ip_on_launch = true
}

resource "aws_security_group" "tasks" {
  name   = "staging-tasks"
  vpc_id = aws_vpc.staging.id
}

resource "aws_vpc_security_group_egress_rule" "https" {
  security_group_id = aws_security_group.tasks.id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_iam_role" "execution" {
  name = "staging-execution"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_ecs_cluster" "staging" {
  name = "staging"
}

resource "aws_ecs_task_definition" "app" {
  for_each                 = toset(["web", "worker"])
  family                   = "staging-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name      = each.key
    image     = "123456789012.dkr.ecr.us-east-1.amazonaws.com/staging/${each.key}:${var.image_tag}"
    essential = true
  }])
  depends_on = [aws_iam_role_policy_attachment.execution]
}

resource "aws_ecs_service" "web" {
  name            = "web"
  cluster         = aws_ecs_cluster.staging.id
  task_definition = aws_ecs_task_definition.app["web"].arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets          = values(aws_subnet.public)[*].id
    security_groups  = [aws_security_group.tasks.id]
    assign_public_ip = true
  }
}

resource "aws_ecs_service" "worker" {
  name            = "worker"
  cluster         = aws_ecs_cluster.staging.id
  task_definition = aws_ecs_task_definition.app["worker"].arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = values(aws_subnet.public)[*].id
    security_groups = [aws_security_group.tasks.id]
  }
}
