variable "name" {
  type = string
}
variable "image" {
  type = string
}
variable "secret_name" {
  type = string
}
variable "boundary_arn" {
  type = string
}
variable "secrets_vpce" {
  type    = string
  default = null
}

resource "aws_iam_role" "execution" {
  name_prefix          = "${var.name}-exec-"
  path                 = "/apps/"
  permissions_boundary = var.boundary_arn
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "managed" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_iam_role_policy" "registry" {
  name = "dockerhub-credentials"
  role = aws_iam_role.execution.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = aws_secretsmanager_secret.dockerhub.arn }]
  })
}

resource "aws_secretsmanager_secret" "dockerhub" {
  name = var.secret_name
}

resource "aws_secretsmanager_secret_version" "dockerhub" {
  secret_id     = aws_secretsmanager_secret.dockerhub.id
  secret_string = jsonencode({ username = "acmebot", password = "FAKEDOCKERHUBPAT0" })
}

data "aws_iam_policy_document" "only_through_endpoint" {
  count = var.secrets_vpce == null ? 0 : 1
  statement {
    sid       = "OnlyThroughTheEndpoint"
    effect    = "Deny"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "StringNotEquals"
      variable = "aws:SourceVpce"
      values   = [var.secrets_vpce]
    }
  }
}

resource "aws_secretsmanager_secret_policy" "dockerhub" {
  count      = var.secrets_vpce == null ? 0 : 1
  secret_arn = aws_secretsmanager_secret.dockerhub.arn
  policy     = data.aws_iam_policy_document.only_through_endpoint[0].json
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name                  = var.name
    image                 = var.image
    essential             = true
    repositoryCredentials = { credentialsParameter = aws_secretsmanager_secret.dockerhub.arn }
  }])

  depends_on = [aws_iam_role_policy.registry, aws_iam_role_policy_attachment.managed,
  aws_secretsmanager_secret_version.dockerhub, aws_secretsmanager_secret_policy.dockerhub]
}
