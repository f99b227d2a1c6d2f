output "arn" {
  description = "ARN of the task execution role (the task definition's `execution_role_arn`)."
  value       = aws_iam_role.this.arn
}

output "name" {
  description = "Name of the task execution role."
  value       = aws_iam_role.this.name
}

output "unique_id" {
  description = "Stable unique id of the role."
  value       = aws_iam_role.this.unique_id
}

output "trust_policy_json" {
  description = "The role's trust (assume role) policy."
  value       = jsonencode(local.trust_policy)
}

output "permissions_policy_json" {
  description = "The inline permissions policy built from the inputs (null when it grants nothing)."
  value       = length(local.statements) > 0 ? jsonencode(local.permissions_policy) : null
}

output "managed_policy_attachment_ids" {
  description = "IDs of the managed policy attachments."
  value       = aws_iam_role_policy_attachment.ecs_managed[*].id
}

output "inline_policy_ids" {
  description = "IDs of the inline policies (role:policy)."
  value       = concat(aws_iam_role_policy.this[*].id, [for k in sort(keys(aws_iam_role_policy.extra)) : aws_iam_role_policy.extra[k].id])
}

output "policy_dependencies" {
  description = "Every attachment and inline policy id: pass it to the task-definition module's `execution_role_dependencies` (or use it in depends_on) so no task starts before IAM has the permissions."
  value = concat(
    aws_iam_role_policy_attachment.ecs_managed[*].id,
    aws_iam_role_policy.this[*].id,
    [for k in sort(keys(aws_iam_role_policy.extra)) : aws_iam_role_policy.extra[k].id],
  )
}
