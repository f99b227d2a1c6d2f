variable "name" {
  type = string
}

variable "image" {
  type = string
}

variable "execution_role_arn" {
  type = string
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = var.execution_role_arn
  container_definitions = jsonencode([{
    name      = var.name
    image     = var.image
    essential = true
  }])
}
