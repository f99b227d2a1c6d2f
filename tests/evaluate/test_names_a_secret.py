"""names_a_secret: what PG204 and PG401-PG403 take for a registry secret (PG202 reports the rest).

A first plan shows `credentialsParameter = aws_ssm_parameter.x.arn` as a reference: it is an SSM
parameter, not a secret outside the plan, so those rules must not report it as an unknown secret
("the registry secret ... is not in the plan")."""
from pullguard.evaluate.secret_access import names_a_secret
from pullguard.values import Ref, Unknown


def test_references_to_parameters_and_keys_name_no_secret():
    assert not names_a_secret(Ref("aws_ssm_parameter.registry", "arn"))
    assert not names_a_secret(Ref('module.app["a.b"].data.aws_ssm_parameter.registry[0]', "name"))
    assert not names_a_secret(Ref("aws_kms_key.registry", "arn"))
    assert not names_a_secret("arn:aws:ssm:us-east-1:123456789012:parameter/registry/ghcr")


def test_secrets_names_and_unknown_values_may_name_a_secret():
    assert names_a_secret(Ref("aws_secretsmanager_secret.registry", "arn"))
    assert names_a_secret(Ref("module.creds.aws_secretsmanager_secret_version.registry[0]", "arn"))
    assert names_a_secret(Ref("terraform_data.registry", "output"))  # what it holds is not known
    assert names_a_secret(Unknown("credentialsParameter"))
    assert names_a_secret("registry/ghcr")
    assert names_a_secret("arn:aws:secretsmanager:us-east-1:123456789012:secret:registry/ghcr-AbCdEf")
