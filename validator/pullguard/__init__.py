"""pullguard: catch ECS image pull failures in a Terraform plan before apply."""
__version__ = "0.1.0"
