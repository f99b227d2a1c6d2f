# A regulated workload VPC with no internet gateway and no NAT: everything goes through VPC
# endpoints. Interface endpoints for ecr.api, ecr.dkr, logs and secretsmanager (private DNS on,
# endpoint group open to the VPC on 443) and an S3 gateway endpoint for the ECR image layers.
# The task group allows 443 to the VPC CIDR (interface endpoints) and to the S3 prefix list.
# - payments runs in the "app" subnets, whose route table is on the S3 gateway endpoint: works.
# - settlement runs in the "batch" subnets added later with their own route table, which nobody
#   added to the S3 endpoint's route_table_ids: the manifest comes from ecr.dkr but the layers
#   (S3) time out.
# - reconcile runs in the app subnets with a stricter group: egress 443 only to the endpoints'
#   security group. The interface endpoints answer, but the S3 gateway endpoint is reached at S3's
#   public addresses (the prefix list), which that group does not allow: the layer download fails.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  region    = data.aws_region.current.name
  registry  = "${data.aws_caller_identity.current.account_id}.dkr.ecr.${local.region}.amazonaws.com"
  interface = toset(["ecr.api", "ecr.dkr", "logs", "secretsmanager"])
  app       = { "us-east-1a" = "10.60.1.0/24", "us-east-1b" = "10.60.2.0/24" }
  batch     = { "us-east-1a" = "10.60.11.0/24", "us-east-1b" = "10.60.12.0/24" }
}

resource "aws_vpc" "this" {
  cidr_block           = "10.60.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "app" {
  for_each          = local.app
  vpc_id            = aws_vpc.this.id
  availability_zone = each.key
  cidr_block        = each.value
}

resource "aws_subnet" "batch" {
  for_each          = local.batch
  vpc_id            = aws_vpc.this.id
  availability_zone = each.key
  cidr_block        = each.value
}

resource "aws_route_table" "app" {
  vpc_id = aws_vpc.this.id
}

resource "aws_route_table" "batch" {
  vpc_id = aws_vpc.this.id
}

resource "aws_route_table_association" "app" {
  for_each       = aws_subnet.app
  subnet_id      = each.value.id
  route_table_id = aws_route_table.app.id
}

resource "aws_route_table_association" "batch" {
  for_each       = aws_subnet.batch
  subnet_id      = each.value.id
  route_table_id = aws_route_table.batch.id
}

resource "aws_security_group" "endpoints" {
  name   = "vpc-endpoints"
  vpc_id = aws_vpc.this.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.this.cidr_block]
  }
}

resource "aws_vpc_endpoint" "interface" {
  for_each            = local.interface
  vpc_id              = aws_vpc.this.id
  service_name        = "com.amazonaws.${local.region}.${each.key}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [for s in aws_subnet.app : s.id]
  security_group_ids  = [aws_security_group.endpoints.id]
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.${local.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.app.id]
}

resource "aws_security_group" "tasks" {
  name   = "payments-tasks"
  vpc_id = aws_vpc.this.id
}

resource "aws_vpc_security_group_egress_rule" "endpoints" {
  security_group_id = aws_security_group.tasks.id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = aws_vpc.this.cidr_block
}

resource "aws_vpc_security_group_egress_rule" "s3" {
  security_group_id = aws_security_group.tasks.id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_id    = aws_vpc_endpoint.s3.prefix_list_id
}

resource "aws_security_group" "strict" {
  name   = "reconcile-tasks"
  vpc_id = aws_vpc.this.id
}

resource "aws_vpc_security_group_egress_rule" "strict_endpoints" {
  security_group_id            = aws_security_group.strict.id
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.endpoints.id
}

resource "aws_secretsmanager_secret" "db" {
  name = "payments/db"
}

resource "aws_secretsmanager_secret_version" "db" {
  secret_id     = aws_secretsmanager_secret.db.id
  secret_string = jsonencode({ username = "payments", password = "example-not-real" })
}

resource "aws_iam_role" "execution" {
  name = "payments-execution"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_iam_role_policy" "secrets" {
  name = "read-db-secret"
  role = aws_iam_role.execution.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = aws_secretsmanager_secret.db.arn }]
  })
}

resource "aws_cloudwatch_log_group" "payments" {
  name = "/ecs/payments"
}

resource "aws_ecs_cluster" "this" {
  name = "payments"
}

resource "aws_ecs_task_definition" "this" {
  for_each                 = toset(["payments", "settlement", "reconcile"])
  family                   = each.key
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name      = each.key
    image     = "${local.registry}/${each.key}:5.0.3"
    essential = true
    secrets   = [{ name = "DB_CREDENTIALS", valueFrom = aws_secretsmanager_secret.db.arn }]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.payments.name
        awslogs-region        = local.region
        awslogs-stream-prefix = each.key
      }
    }
  }])
  depends_on = [aws_iam_role_policy_attachment.execution, aws_iam_role_policy.secrets]
}

resource "aws_ecs_service" "payments" {
  name            = "payments"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.this["payments"].arn
  desired_count   = 2
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = [for s in aws_subnet.app : s.id]
    security_groups = [aws_security_group.tasks.id]
  }
  depends_on = [aws_vpc_endpoint.interface, aws_vpc_endpoint.s3]
}

resource "aws_ecs_service" "settlement" {
  name            = "settlement"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.this["settlement"].arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = [for s in aws_subnet.batch : s.id]
    security_groups = [aws_security_group.tasks.id]
  }
  depends_on = [aws_vpc_endpoint.interface, aws_vpc_endpoint.s3]
}

resource "aws_ecs_service" "reconcile" {
  name            = "reconcile"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.this["reconcile"].arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = [for s in aws_subnet.app : s.id]
    security_groups = [aws_security_group.strict.id]
  }
  depends_on = [aws_vpc_endpoint.interface, aws_vpc_endpoint.s3]
}
