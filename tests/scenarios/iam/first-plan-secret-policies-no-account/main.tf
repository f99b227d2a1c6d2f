# Four storefront services pull from a private Quay organisation, everything created in one plan.
# Nothing in the configuration names the AWS account (no aws_caller_identity, no ARN written out):
# the roles and the secrets are created by the same provider configuration, so with the same
# credentials, in the same account.
#  - "catalog": no IAM grant for its secret; the secret's resource policy allows its role
#    (aws_iam_role.exec["catalog"].arn). Same account: a resource policy alone allows: passes.
#  - "checkout": same pattern, but its secret's policy names catalog's role (a copy-paste) and
#    checkout's role has no IAM grant: refused (PG302).
#  - "profile": ABAC, as the Secrets Manager docs show it: the role's IAM policy allows
#    GetSecretValue on registry secrets whose tag "team" equals the role's own "team" tag, and both
#    are tagged team = profile: passes.
#  - "pricing": the same ABAC policy, but the role is tagged team = pricing while its secret is
#    tagged team = commerce: refused (PG302).
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "ap-southeast-2"
}

locals {
  services = {
    catalog  = { reader = "catalog", team = "catalog", secret_team = "catalog" }
    checkout = { reader = "catalog", team = "checkout", secret_team = "checkout" }
    profile  = { reader = null, team = "profile", secret_team = "profile" }
    pricing  = { reader = null, team = "pricing", secret_team = "commerce" }
  }
  by_policy = { for k, v in local.services : k => v if v.reader != null }
  by_tag    = { for k, v in local.services : k => v if v.reader == null }
}

resource "aws_iam_role" "exec" {
  for_each = local.services
  name     = "storefront-${each.key}-exec"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  tags = { team = each.value.team }
}

resource "aws_iam_role_policy_attachment" "managed" {
  for_each   = aws_iam_role.exec
  role       = each.value.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_iam_role_policy" "registry_by_team" {
  for_each = local.by_tag
  name     = "registry-by-team"
  role     = aws_iam_role.exec[each.key].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "secretsmanager:GetSecretValue"
      Resource  = "*"
      Condition = { StringEquals = { "secretsmanager:ResourceTag/team" = "$${aws:PrincipalTag/team}" } }
    }]
  })
}

resource "aws_secretsmanager_secret" "quay" {
  for_each = local.services
  name     = "storefront/${each.key}/quay"
  tags     = { team = each.value.secret_team }
}

resource "aws_secretsmanager_secret_version" "quay" {
  for_each      = aws_secretsmanager_secret.quay
  secret_id     = each.value.id
  secret_string = jsonencode({ username = "storefront+${each.key}", password = "FAKEQUAYTOKEN000" })
}

resource "aws_secretsmanager_secret_policy" "quay" {
  for_each   = local.by_policy
  secret_arn = aws_secretsmanager_secret.quay[each.key].arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "ExecutionRoleReads"
      Effect    = "Allow"
      Principal = { AWS = aws_iam_role.exec[each.value.reader].arn }
      Action    = "secretsmanager:GetSecretValue"
      Resource  = "*"
    }]
  })
}

resource "aws_ecs_task_definition" "svc" {
  for_each                 = local.services
  family                   = "storefront-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.exec[each.key].arn
  container_definitions = jsonencode([{
    name                  = each.key
    image                 = "quay.io/storefront/${each.key}:1.9.3"
    essential             = true
    repositoryCredentials = { credentialsParameter = aws_secretsmanager_secret.quay[each.key].arn }
  }])

  depends_on = [aws_iam_role_policy.registry_by_team, aws_iam_role_policy_attachment.managed,
  aws_secretsmanager_secret_policy.quay, aws_secretsmanager_secret_version.quay]
}
