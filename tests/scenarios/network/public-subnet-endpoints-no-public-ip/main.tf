# Tasks in a public subnet (route table 0.0.0.0/0 -> internet gateway) without public IPs, which
# alone would leave them with no way out. But the VPC has the endpoints an ECR pull needs:
# ecr.api and ecr.dkr interface endpoints with private DNS and an S3 gateway endpoint on the public
# route table (its prefix-list route is more specific than 0.0.0.0/0), plus logs for awslogs. The
# whole pull stays inside the VPC: it works (a near miss of PG502).
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

resource "aws_vpc" "tools" {
  cidr_block           = "10.140.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_internet_gateway" "tools" {
  vpc_id = aws_vpc.tools.id
}

resource "aws_subnet" "public" {
  count             = 2
  vpc_id            = aws_vpc.tools.id
  availability_zone = ["us-east-1a", "us-east-1b"][count.index]
  cidr_block        = cidrsubnet(aws_vpc.tools.cidr_block, 8, count.index)
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.tools.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.tools.id
  }
}

resource "aws_route_table_association" "public" {
  count          = 2
  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}

resource "aws_security_group" "endpoints" {
  name   = "tools-endpoints"
  vpc_id = aws_vpc.tools.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.tools.cidr_block]
  }
}

resource "aws_vpc_endpoint" "interface" {
  for_each            = toset(["ecr.api", "ecr.dkr", "logs"])
  vpc_id              = aws_vpc.tools.id
  service_name        = "com.amazonaws.us-east-1.${each.key}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = aws_subnet.public[*].id
  security_group_ids  = [aws_security_group.endpoints.id]
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.tools.id
  service_name      = "com.amazonaws.us-east-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.public.id]
}

resource "aws_security_group" "tasks" {
  name   = "tools-tasks"
  vpc_id = aws_vpc.tools.id
  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_iam_role" "execution" {
  name = "tools-execution"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_cloudwatch_log_group" "runner" {
  name = "/ecs/runner"
}

resource "aws_ecs_cluster" "tools" {
  name = "tools"
}

resource "aws_ecs_task_definition" "runner" {
  family                   = "runner"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "1024"
  memory                   = "2048"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name      = "runner"
    image     = "123456789012.dkr.ecr.us-east-1.amazonaws.com/ci/runner:2.319.1"
    essential = true
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.runner.name
        awslogs-region        = "us-east-1"
        awslogs-stream-prefix = "runner"
      }
    }
  }])
  depends_on = [aws_iam_role_policy_attachment.execution]
}

resource "aws_ecs_service" "runner" {
  name            = "runner"
  cluster         = aws_ecs_cluster.tools.id
  task_definition = aws_ecs_task_definition.runner.arn
  desired_count   = 2
  launch_type     = "FARGATE"
  network_configuration {
    subnets          = aws_subnet.public[*].id
    security_groups  = [aws_security_group.tasks.id]
    assign_public_ip = false
  }
  depends_on = [aws_vpc_endpoint.interface, aws_vpc_endpoint.s3]
}
