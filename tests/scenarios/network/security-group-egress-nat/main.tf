# Private subnets with a NAT gateway (the path to the internet exists); four services differ only in
# their task security group:
# - legacy: egress only on TCP 80 ("the registry is plain HTTP"): ECR and its S3 layers are HTTPS.
# - internal: egress 443 only to the VPC CIDR (copied from an endpoint-only VPC): the pull goes
#   through the NAT gateway to ECR's public addresses, outside 10.90.0.0/16.
# - locked: a hardened group written with only ingress blocks: Terraform's aws_security_group
#   removes the default allow-all egress rule, so the group allows no egress at all.
# - standard: egress 443 to 0.0.0.0/0 through a separate aws_security_group_rule: works.
# Security groups do not filter traffic to the Amazon DNS server, so DNS needs no rule.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

resource "aws_vpc" "main" {
  cidr_block           = "10.90.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "public" {
  vpc_id            = aws_vpc.main.id
  availability_zone = "us-east-1a"
  cidr_block        = "10.90.0.0/24"
}

resource "aws_subnet" "private" {
  vpc_id            = aws_vpc.main.id
  availability_zone = "us-east-1a"
  cidr_block        = "10.90.10.0/24"
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "main" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public.id
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route" "public_default" {
  route_table_id         = aws_route_table.public.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.main.id
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route" "private_default" {
  route_table_id         = aws_route_table.private.id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.main.id
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}

resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}

resource "aws_security_group" "legacy" {
  name   = "legacy-tasks"
  vpc_id = aws_vpc.main.id
  egress {
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "internal" {
  name   = "internal-tasks"
  vpc_id = aws_vpc.main.id
  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.main.cidr_block]
  }
}

resource "aws_security_group" "locked" {
  name   = "locked-tasks"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 8443
    to_port     = 8443
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.main.cidr_block]
  }
}

resource "aws_security_group" "standard" {
  name   = "standard-tasks"
  vpc_id = aws_vpc.main.id
}

resource "aws_security_group_rule" "standard_https" {
  type              = "egress"
  security_group_id = aws_security_group.standard.id
  protocol          = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_blocks       = ["0.0.0.0/0"]
}

resource "aws_iam_role" "execution" {
  name = "main-execution"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_ecs_cluster" "main" {
  name = "main"
}

resource "aws_ecs_task_definition" "app" {
  family                   = "app"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name      = "app"
    image     = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:7.1.0"
    essential = true
  }])
  depends_on = [aws_iam_role_policy_attachment.execution]
}


resource "aws_ecs_service" "svc" {
  for_each = {
    legacy   = aws_security_group.legacy.id
    internal = aws_security_group.internal.id
    locked   = aws_security_group.locked.id
    standard = aws_security_group.standard.id
  }
  name            = each.key
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.app.arn
  launch_type     = "FARGATE"
  desired_count   = 1
  network_configuration {
    subnets         = [aws_subnet.private.id]
    security_groups = [each.value]
  }
}
