# Three payment services pull private Docker Hub images with a shared registry secret.
# Each execution role gets GetSecretValue on the secret's ARN from an aws_iam_policy_document.
#  - "payments": only that grant: it works.
#  - "ledger": the security team appended a guardrail "Deny everything except ECR and logs"
#    written with NotAction; an explicit Deny wins over the Allow, so the secret cannot be read.
#  - "fraud": the role carries a permissions boundary that allows ECR and CloudWatch Logs only;
#    the effective permissions are the intersection, so GetSecretValue is not allowed.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

resource "aws_secretsmanager_secret" "dockerhub" {
  name = "payments/dockerhub"
}

resource "aws_secretsmanager_secret_version" "dockerhub" {
  secret_id     = aws_secretsmanager_secret.dockerhub.id
  secret_string = jsonencode({ username = "acmepayments", password = "dckr_pat_fake0000" })
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_policy" "boundary" {
  name        = "ecs-execution-boundary"
  description = "Upper bound for execution roles created by application teams"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["ecr:*", "logs:*"]
      Resource = "*"
    }]
  })
}

resource "aws_iam_role" "execution" {
  for_each             = toset(["payments", "ledger", "fraud"])
  name                 = "${each.key}-execution"
  assume_role_policy   = data.aws_iam_policy_document.trust.json
  permissions_boundary = each.key == "fraud" ? aws_iam_policy.boundary.arn : null
}

data "aws_iam_policy_document" "registry" {
  statement {
    sid       = "RegistryCredentials"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.dockerhub.arn]
  }
}

data "aws_iam_policy_document" "registry_with_guardrail" {
  source_policy_documents = [data.aws_iam_policy_document.registry.json]
  statement {
    sid         = "OnlyPullAndLog"
    effect      = "Deny"
    not_actions = ["ecr:*", "logs:*"]
    resources   = ["*"]
  }
}

resource "aws_iam_role_policy" "registry" {
  for_each = aws_iam_role.execution
  name     = "registry-credentials"
  role     = each.value.id
  policy   = each.key == "ledger" ? data.aws_iam_policy_document.registry_with_guardrail.json : data.aws_iam_policy_document.registry.json
}

resource "aws_iam_role_policy_attachment" "execution" {
  for_each   = aws_iam_role.execution
  role       = each.value.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_cloudwatch_log_group" "svc" {
  for_each = aws_iam_role.execution
  name     = "/ecs/${each.key}"
}

resource "aws_ecs_task_definition" "svc" {
  for_each                 = aws_iam_role.execution
  family                   = each.key
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  execution_role_arn       = each.value.arn
  container_definitions = jsonencode([{
    name                  = each.key
    image                 = "acmepayments/${each.key}:3.1.0"
    essential             = true
    repositoryCredentials = { credentialsParameter = aws_secretsmanager_secret.dockerhub.arn }
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.svc[each.key].name
        awslogs-region        = "us-east-1"
        awslogs-stream-prefix = each.key
      }
    }
  }])
  depends_on = [aws_iam_role_policy.registry, aws_iam_role_policy_attachment.execution]
}
