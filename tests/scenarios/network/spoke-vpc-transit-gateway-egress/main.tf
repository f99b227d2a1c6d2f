# Hub-and-spoke networking: a spoke VPC has no NAT gateway of its own; its private route table sends
# 0.0.0.0/0 to the transit gateway, behind which a central egress VPC (another stack) runs the NAT
# gateways. That is a path to the internet: the orders service pulls fine.
# The analytics subnet instead routes 0.0.0.0/0 to a *private* NAT gateway (connectivity_type =
# "private"), created for overlapping-CIDR traffic to a partner network. A private NAT gateway
# cannot reach the internet, and there are no VPC endpoints: the pull times out.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

resource "aws_ec2_transit_gateway" "hub" {
  description = "hub"
}

resource "aws_vpc" "spoke" {
  cidr_block           = "10.130.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "private" {
  for_each          = { a = "10.130.1.0/24", b = "10.130.2.0/24" }
  vpc_id            = aws_vpc.spoke.id
  availability_zone = "us-east-1${each.key}"
  cidr_block        = each.value
}

resource "aws_subnet" "analytics" {
  vpc_id            = aws_vpc.spoke.id
  availability_zone = "us-east-1a"
  cidr_block        = "10.130.20.0/24"
}

resource "aws_subnet" "transit" {
  vpc_id            = aws_vpc.spoke.id
  availability_zone = "us-east-1a"
  cidr_block        = "10.130.250.0/28"
}

resource "aws_ec2_transit_gateway_vpc_attachment" "spoke" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.spoke.id
  subnet_ids         = [aws_subnet.transit.id]
}

resource "aws_nat_gateway" "partner" {
  connectivity_type = "private"
  subnet_id         = aws_subnet.transit.id
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.spoke.id
  route {
    cidr_block         = "0.0.0.0/0"
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
  depends_on = [aws_ec2_transit_gateway_vpc_attachment.spoke]
}

resource "aws_route_table" "analytics" {
  vpc_id = aws_vpc.spoke.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.partner.id
  }
}

resource "aws_route_table_association" "private" {
  for_each       = aws_subnet.private
  subnet_id      = each.value.id
  route_table_id = aws_route_table.private.id
}

resource "aws_route_table_association" "analytics" {
  subnet_id      = aws_subnet.analytics.id
  route_table_id = aws_route_table.analytics.id
}

resource "aws_security_group" "tasks" {
  name   = "spoke-tasks"
  vpc_id = aws_vpc.spoke.id
  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_iam_role" "execution" {
  name = "spoke-execution"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_ecs_cluster" "spoke" {
  name = "spoke"
}

resource "aws_ecs_task_definition" "svc" {
  for_each                 = toset(["orders", "analytics"])
  family                   = each.key
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name      = each.key
    image     = "123456789012.dkr.ecr.us-east-1.amazonaws.com/${each.key}:2.0.1"
    essential = true
  }])
  depends_on = [aws_iam_role_policy_attachment.execution]
}

resource "aws_ecs_service" "orders" {
  name            = "orders"
  cluster         = aws_ecs_cluster.spoke.id
  task_definition = aws_ecs_task_definition.svc["orders"].arn
  desired_count   = 2
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = [for s in aws_subnet.private : s.id]
    security_groups = [aws_security_group.tasks.id]
  }
}

resource "aws_ecs_service" "analytics" {
  name            = "analytics"
  cluster         = aws_ecs_cluster.spoke.id
  task_definition = aws_ecs_task_definition.svc["analytics"].arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = [aws_subnet.analytics.id]
    security_groups = [aws_security_group.tasks.id]
  }
}
