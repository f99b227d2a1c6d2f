# A worker task definition and its log group, used by several teams.
variable "name" {
  type = string
}

variable "image" {
  type = string
}

variable "log_group_name" {
  type = string
}

variable "execution_role_arn" {
  type = string
}

resource "aws_cloudwatch_log_group" "this" {
  name              = var.log_group_name
  retention_in_days = 30
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
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.this.name
        awslogs-region        = "us-east-1"
        awslogs-stream-prefix = var.name
      }
    }
  }])
}

output "log_group_name" {
  value = aws_cloudwatch_log_group.this.name
}
