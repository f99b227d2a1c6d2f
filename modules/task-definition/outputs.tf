output "arn" {
  description = "ARN of the task definition (with revision)."
  value       = aws_ecs_task_definition.this.arn
}

output "arn_without_revision" {
  description = "ARN of the task definition family, without the revision."
  value       = aws_ecs_task_definition.this.arn_without_revision
}

output "family" {
  description = "Family of the task definition."
  value       = aws_ecs_task_definition.this.family
}

output "revision" {
  description = "Revision of the task definition."
  value       = aws_ecs_task_definition.this.revision
}

output "container_definitions_json" {
  description = "The container definitions JSON sent to Amazon ECS."
  value       = aws_ecs_task_definition.this.container_definitions
}

output "log_group_name" {
  description = "CloudWatch Logs group the default awslogs configuration writes to (null when enable_awslogs is false)."
  value       = var.enable_awslogs ? local.log_group_name : null
}

output "log_group_arn" {
  description = "ARN of the created log group (null when none is created)."
  value       = try(aws_cloudwatch_log_group.this[0].arn, null)
}
