# Several teams share one ECS cluster stack; each service points repositoryCredentials at a
# registry login they got from somewhere else. What the plan cannot know is left undecided (a
# secret ARN from the security account's stack, a bare name of a secret created by hand); what is
# plainly not a Secrets Manager secret fails: an ARN missing its account (copied from a wiki page
# with the account removed) and the KMS key ARN that encrypts the secret instead of the secret.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "eu-west-1"
}

variable "shared_registry_secret_arn" {
  description = "Registry login published by the security account's stack"
  type        = string
  default     = "arn:aws:secretsmanager:eu-west-1:210987654321:secret:shared/registry/artifactory-Xy12Ab"
}

variable "registry_kms_key_arn" {
  type    = string
  default = "arn:aws:kms:eu-west-1:210987654321:key/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
}

data "aws_caller_identity" "current" {}

resource "aws_iam_role" "execution" {
  name = "shared-cluster-execution"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "registry" {
  name = "registry-logins"
  role = aws_iam_role.execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Action = "secretsmanager:GetSecretValue"
        Resource = [
          var.shared_registry_secret_arn,
          "arn:aws:secretsmanager:eu-west-1:${data.aws_caller_identity.current.account_id}:secret:registry/*",
        ]
      },
      {
        Effect   = "Allow"
        Action   = "kms:Decrypt"
        Resource = var.registry_kms_key_arn
      },
    ]
  })
}

locals {
  services = {
    # a secret ARN from another account: its value, key and resource policy are not in this plan
    search = { image = "acme.jfrog.io/docker/search:6.0.2", secret = var.shared_registry_secret_arn }
    # a name in the task's own region and account, created by hand: whether it exists is a live fact
    pricing = { image = "acme.jfrog.io/docker/pricing:1.3.7", secret = "registry/artifactory" }
    # account missing from the ARN
    catalog = { image = "acme.jfrog.io/docker/catalog:2.2.0", secret = "arn:aws:secretsmanager:eu-west-1::secret:registry/artifactory" }
    # the KMS key, not the secret
    reviews = { image = "acme.jfrog.io/docker/reviews:0.8.1", secret = var.registry_kms_key_arn }
  }
}

resource "aws_ecs_task_definition" "service" {
  for_each                 = local.services
  family                   = each.key
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name                  = each.key
    image                 = each.value.image
    essential             = true
    repositoryCredentials = { credentialsParameter = each.value.secret }
  }])
  depends_on = [aws_iam_role_policy.registry]
}
