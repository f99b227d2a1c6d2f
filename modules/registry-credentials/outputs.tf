output "secret_arn" {
  description = "Full ARN of the secret (with its random suffix): use it as `repositoryCredentials.credentialsParameter` and in IAM policies."
  value       = aws_secretsmanager_secret.this.arn
}

output "secret_name" {
  description = "Name of the secret."
  value       = aws_secretsmanager_secret.this.name
}

output "secret_version_id" {
  description = "ID of the secret version holding the credentials (null when `create_secret_version` is false). Reference it to make a task wait until the value exists."
  value       = try(aws_secretsmanager_secret_version.this[0].version_id, aws_secretsmanager_secret_version.write_only[0].version_id, null)
}

output "kms_key_arn" {
  description = "ARN of the customer managed key encrypting the secret (given or created); null when the AWS managed key aws/secretsmanager is used."
  value       = local.kms_key_arn
}

output "kms_key_created" {
  description = "Whether this module created the KMS key."
  value       = var.create_kms_key
}

output "execution_role_policy_json" {
  description = "IAM policy document granting exactly what a task execution role needs to read the secret: secretsmanager:GetSecretValue on the secret and, with a customer managed key, kms:Decrypt on it through Secrets Manager (kms:ViaService)."
  value       = jsonencode(local.execution_role_policy)
}

output "key_policy_json" {
  description = "Policy of the created KMS key (null when no key is created)."
  value       = var.create_kms_key ? jsonencode(local.key_policy) : null
}

output "secret_policy_json" {
  description = "Resource policy attached to the secret for cross-account readers (null when there are none)."
  value       = length(var.cross_account_principal_arns) > 0 ? jsonencode(local.secret_policy) : null
}
