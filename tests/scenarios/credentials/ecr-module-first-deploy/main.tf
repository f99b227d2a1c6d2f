# A new product's first deploy: one module creates its ECR repositories (for_each), another runs the
# services, each given "<repository URL>:<release tag>" from the registry module's outputs. Nothing
# pushes to the new repositories before the first tasks start, so they find them empty
# ("CannotPullContainerError ... not found"); the second plan, after CI has pushed, is fine. The
# worker runs whatever was pushed last as `latest`. The gateway runs an image from a repository of
# the shared platform stack that already exists.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "release" {
  type    = string
  default = "2026.12.1"
}

data "aws_caller_identity" "current" {}

module "registry" {
  source       = "./modules/ecr"
  repositories = ["quotes/api", "quotes/worker"]
}

# added later by hand, next to the module
resource "aws_ecr_repository" "edge" {
  name = "quotes/edge"
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "execution" {
  name               = "quotes-execution"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

locals {
  services = {
    api     = "${module.registry.repository_urls["quotes/api"]}:${var.release}"
    worker  = "${module.registry.repository_urls["quotes/worker"]}:latest" # CI pushes :latest on every merge
    edge    = "${aws_ecr_repository.edge.repository_url}:${var.release}"
    gateway = "${data.aws_caller_identity.current.account_id}.dkr.ecr.us-east-1.amazonaws.com/platform/gateway:5.2.0"
  }
}

module "service" {
  source             = "./modules/service"
  for_each           = local.services
  name               = "quotes-${each.key}"
  image              = each.value
  execution_role_arn = aws_iam_role.execution.arn
  depends_on         = [aws_iam_role_policy_attachment.execution]
}
