variable "name" {
  type = string
}

variable "image" {
  type = string
}

variable "registry_login" {
  description = "Secrets Manager secret (ARN or name) with the registry username and password"
  type        = string
}

variable "execution_role_arn" {
  type = string
}

resource "aws_ecs_task_definition" "this" {
  family                   = "build-${var.name}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  execution_role_arn       = var.execution_role_arn
  container_definitions = jsonencode([{
    name                  = var.name
    image                 = var.image
    essential             = true
    repositoryCredentials = { credentialsParameter = var.registry_login }
  }])
}
