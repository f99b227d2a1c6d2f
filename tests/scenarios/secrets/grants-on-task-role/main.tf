# A common mix-up: the team grants secretsmanager:GetSecretValue and ssm:GetParameters to the task
# role (what the application calls at run time), while the secrets in the task definition are read
# by the agent before the container starts, with the execution role. The execution role has only
# AmazonECSTaskExecutionRolePolicy, which grants ECR pulls and CloudWatch Logs, not secrets.
#  - orders (task_role_arn = orders-task, execution_role_arn = orders-execution): both the
#    Secrets Manager secret (api) and the Parameter Store parameter (migrate) are denied (PG702).
#  - jobs uses one role for both (execution_role_arn = task_role_arn = jobs): the grant is on
#    the role that reads the secrets: works.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

locals {
  services = toset(["orders", "jobs"])
}

resource "aws_secretsmanager_secret" "db" {
  for_each                = local.services
  name                    = "${each.key}/db-credentials"
  recovery_window_in_days = 0
}

resource "aws_ssm_parameter" "db_host" {
  for_each = local.services
  name     = "/${each.key}/db-host"
  type     = "String"
  value    = "${each.key}-db.internal"
}

data "aws_iam_policy_document" "ecs_tasks" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "orders_execution" {
  name               = "orders-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks.json
}

resource "aws_iam_role" "task" {
  for_each           = local.services
  name               = "${each.key}-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks.json
}

resource "aws_iam_role_policy_attachment" "execution" {
  for_each = {
    orders = aws_iam_role.orders_execution.name
    jobs   = aws_iam_role.task["jobs"].name
  }
  role       = each.value
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

data "aws_iam_policy_document" "config" {
  for_each = local.services
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.db[each.key].arn]
  }
  statement {
    actions   = ["ssm:GetParameters"]
    resources = [aws_ssm_parameter.db_host[each.key].arn]
  }
}

resource "aws_iam_role_policy" "config" {
  for_each = local.services
  name     = "${each.key}-config"
  role     = aws_iam_role.task[each.key].id
  policy   = data.aws_iam_policy_document.config[each.key].json
}

resource "aws_ecs_task_definition" "orders" {
  family             = "orders"
  execution_role_arn = aws_iam_role.orders_execution.arn
  task_role_arn      = aws_iam_role.task["orders"].arn
  container_definitions = jsonencode([
    {
      name      = "api"
      image     = "public.ecr.aws/acme/orders-api:2.8.0"
      essential = true
      memory    = 512
      secrets = [
        { name = "DB_USER", valueFrom = "${aws_secretsmanager_secret.db["orders"].arn}:username::" },
        { name = "DB_PASSWORD", valueFrom = "${aws_secretsmanager_secret.db["orders"].arn}:password::" },
      ]
    },
    {
      name      = "migrate"
      image     = "public.ecr.aws/acme/orders-migrate:2.8.0"
      essential = false
      memory    = 256
      secrets   = [{ name = "DB_HOST", valueFrom = aws_ssm_parameter.db_host["orders"].arn }]
    },
  ])

  depends_on = [aws_iam_role_policy_attachment.execution, aws_iam_role_policy.config]
}

resource "aws_ecs_task_definition" "jobs" {
  family             = "jobs"
  execution_role_arn = aws_iam_role.task["jobs"].arn
  task_role_arn      = aws_iam_role.task["jobs"].arn
  container_definitions = jsonencode([{
    name      = "runner"
    image     = "public.ecr.aws/acme/jobs-runner:2.8.0"
    essential = true
    memory    = 512
    secrets = [
      { name = "DB_PASSWORD", valueFrom = "${aws_secretsmanager_secret.db["jobs"].arn}:password::" },
      { name = "DB_HOST", valueFrom = aws_ssm_parameter.db_host["jobs"].arn },
    ]
  }])

  depends_on = [aws_iam_role_policy_attachment.execution, aws_iam_role_policy.config]
}
