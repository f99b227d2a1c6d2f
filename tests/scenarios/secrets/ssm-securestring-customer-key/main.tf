# An ECS-on-EC2 API and its worker read configuration from Parameter Store through container
# `secrets`. The database password is a SecureString encrypted with the team's customer managed
# key (not aws/ssm). The execution roles come from a shared module pattern (for_each over the
# services): both may ssm:GetParameters on /orders/*, but only the worker's role was given
# kms:Decrypt on the key. Reading a SecureString encrypted with a customer managed key needs
# kms:Decrypt on that key, so the API's task fails with an AccessDeniedException from KMS (PG702).
# The plain String parameter needs no KMS permission at all.
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
  prefix = "arn:aws:ssm:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:parameter/orders"
  services = {
    api    = { image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/orders-api:2.7.1", decrypt = false }
    worker = { image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/orders-worker:2.7.1", decrypt = true }
  }
}

resource "aws_kms_key" "orders" {
  description = "orders configuration"
}

resource "aws_ssm_parameter" "db_host" {
  name  = "/orders/db/host"
  type  = "String"
  value = "orders.cluster-abc.us-east-1.rds.amazonaws.com"
}

resource "aws_ssm_parameter" "db_password" {
  name   = "/orders/db/password"
  type   = "SecureString"
  key_id = aws_kms_key.orders.arn
  value  = "not-a-real-password"
}

resource "aws_iam_role" "execution" {
  for_each = local.services
  name     = "orders-${each.key}-execution"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "execution" {
  for_each   = aws_iam_role.execution
  role       = each.value.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

data "aws_iam_policy_document" "parameters" {
  for_each = local.services

  statement {
    sid       = "ReadOrdersParameters"
    actions   = ["ssm:GetParameters"]
    resources = ["${local.prefix}/*"]
  }

  dynamic "statement" {
    for_each = each.value.decrypt ? [1] : []
    content {
      sid       = "DecryptSecureStrings"
      actions   = ["kms:Decrypt"]
      resources = [aws_kms_key.orders.arn]
    }
  }
}

resource "aws_iam_role_policy" "parameters" {
  for_each = local.services
  name     = "orders-parameters"
  role     = aws_iam_role.execution[each.key].id
  policy   = data.aws_iam_policy_document.parameters[each.key].json
}

resource "aws_ecs_task_definition" "svc" {
  for_each                 = local.services
  family                   = "orders-${each.key}"
  requires_compatibilities = ["EC2"]
  network_mode             = "bridge"
  execution_role_arn       = aws_iam_role.execution[each.key].arn
  container_definitions = jsonencode([{
    name      = each.key
    image     = each.value.image
    essential = true
    memory    = 512
    secrets = [
      { name = "DB_HOST", valueFrom = aws_ssm_parameter.db_host.arn },
      { name = "DB_PASSWORD", valueFrom = aws_ssm_parameter.db_password.arn },
    ]
  }])

  depends_on = [aws_iam_role_policy.parameters, aws_iam_role_policy_attachment.execution]
}
