# An ECS cluster on EC2 container instances (Auto Scaling group in private subnets behind a NAT
# gateway). Task ENIs of the awsvpc services are placed in separate "tasks" subnets that have no
# default route and the VPC has no endpoints. On EC2 the image download, registry authentication
# and secrets retrieval go through the container instance's primary ENI, not the task ENI, so the
# task subnets' routes do not matter for the pull: nothing here fails.
# - api: launch_type = "EC2", awsvpc, task ENIs in the isolated task subnets.
# - worker: capacity provider strategy (the ASG capacity provider), bridge network mode.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

data "aws_ssm_parameter" "ecs_ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

resource "aws_vpc" "ec2" {
  cidr_block           = "10.110.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_internet_gateway" "ec2" {
  vpc_id = aws_vpc.ec2.id
}

resource "aws_subnet" "public" {
  vpc_id            = aws_vpc.ec2.id
  availability_zone = "us-east-1a"
  cidr_block        = "10.110.0.0/24"
}

resource "aws_subnet" "instances" {
  vpc_id            = aws_vpc.ec2.id
  availability_zone = "us-east-1a"
  cidr_block        = "10.110.1.0/24"
}

resource "aws_subnet" "tasks" {
  vpc_id            = aws_vpc.ec2.id
  availability_zone = "us-east-1a"
  cidr_block        = "10.110.64.0/18"
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "ec2" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public.id
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.ec2.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.ec2.id
  }
}

resource "aws_route_table" "instances" {
  vpc_id = aws_vpc.ec2.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.ec2.id
  }
}

resource "aws_route_table" "tasks" {
  vpc_id = aws_vpc.ec2.id
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}

resource "aws_route_table_association" "instances" {
  subnet_id      = aws_subnet.instances.id
  route_table_id = aws_route_table.instances.id
}

resource "aws_route_table_association" "tasks" {
  subnet_id      = aws_subnet.tasks.id
  route_table_id = aws_route_table.tasks.id
}

resource "aws_security_group" "instances" {
  name   = "ecs-instances"
  vpc_id = aws_vpc.ec2.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "tasks" {
  name   = "ecs-tasks"
  vpc_id = aws_vpc.ec2.id
  ingress {
    from_port   = 8080
    to_port     = 8080
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.ec2.cidr_block]
  }
}

resource "aws_iam_role" "instance" {
  name = "ecs-instance"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "instance" {
  role       = aws_iam_role.instance.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"
}

resource "aws_iam_instance_profile" "instance" {
  name = "ecs-instance"
  role = aws_iam_role.instance.name
}

resource "aws_launch_template" "ecs" {
  name_prefix            = "ecs-"
  image_id               = data.aws_ssm_parameter.ecs_ami.value
  instance_type          = "m6i.large"
  vpc_security_group_ids = [aws_security_group.instances.id]
  iam_instance_profile {
    arn = aws_iam_instance_profile.instance.arn
  }
  user_data = base64encode("#!/bin/bash\necho ECS_CLUSTER=ec2-apps >> /etc/ecs/ecs.config\necho ECS_ENABLE_TASK_ENI=true >> /etc/ecs/ecs.config\n")
}

resource "aws_autoscaling_group" "ecs" {
  name                = "ecs-apps"
  min_size            = 2
  max_size            = 6
  vpc_zone_identifier = [aws_subnet.instances.id]
  launch_template {
    id      = aws_launch_template.ecs.id
    version = "$Latest"
  }
  tag {
    key                 = "AmazonECSManaged"
    value               = "true"
    propagate_at_launch = true
  }
}

resource "aws_ecs_capacity_provider" "asg" {
  name = "apps-asg"
  auto_scaling_group_provider {
    auto_scaling_group_arn = aws_autoscaling_group.ecs.arn
    managed_scaling {
      status          = "ENABLED"
      target_capacity = 90
    }
  }
}

resource "aws_ecs_cluster" "apps" {
  name = "ec2-apps"
}

resource "aws_ecs_cluster_capacity_providers" "apps" {
  cluster_name       = aws_ecs_cluster.apps.name
  capacity_providers = [aws_ecs_capacity_provider.asg.name]
}

resource "aws_iam_role" "execution" {
  name = "ec2-apps-execution"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_ecs_task_definition" "api" {
  family                   = "api"
  requires_compatibilities = ["EC2"]
  network_mode             = "awsvpc"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name         = "api"
    image        = "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:6.0.2"
    essential    = true
    memory       = 512
    portMappings = [{ containerPort = 8080 }]
  }])
  depends_on = [aws_iam_role_policy_attachment.execution]
}

resource "aws_ecs_task_definition" "worker" {
  family                   = "worker"
  requires_compatibilities = ["EC2"]
  network_mode             = "bridge"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name      = "worker"
    image     = "123456789012.dkr.ecr.us-east-1.amazonaws.com/worker:6.0.2"
    essential = true
    memory    = 256
  }])
  depends_on = [aws_iam_role_policy_attachment.execution]
}

resource "aws_ecs_service" "api" {
  name            = "api"
  cluster         = aws_ecs_cluster.apps.id
  task_definition = aws_ecs_task_definition.api.arn
  desired_count   = 2
  launch_type     = "EC2"
  network_configuration {
    subnets         = [aws_subnet.tasks.id]
    security_groups = [aws_security_group.tasks.id]
  }
}

resource "aws_ecs_service" "worker" {
  name            = "worker"
  cluster         = aws_ecs_cluster.apps.id
  task_definition = aws_ecs_task_definition.worker.arn
  desired_count   = 2
  capacity_provider_strategy {
    capacity_provider = aws_ecs_capacity_provider.asg.name
    weight            = 1
  }
}
