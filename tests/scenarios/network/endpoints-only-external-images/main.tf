# An endpoint-only subnet pair (no NAT) with every endpoint an ECR pull needs. Services there reach
# images the endpoints cannot serve:
# - proxy runs the Docker Hub official nginx image: Docker Hub is on the internet, no VPC endpoint
#   reaches registry-1.docker.io.
# - exporter pulls from the team's ECR registry in us-west-2: the ecr.dkr/ecr.api endpoints and
#   the S3 gateway endpoint of this us-east-1 VPC serve only us-east-1.
# - stream pulls from the team's us-east-1 registry through ECR's dual-stack host
#   (<acct>.dkr-ecr.us-east-1.on.aws): Amazon ECR does not support AWS PrivateLink over dual-stack
#   endpoints, only the IPv4 host <acct>.dkr.ecr.us-east-1.amazonaws.com goes through ecr.dkr.
# - docs runs an ECR Public image (public.ecr.aws): VPC endpoints do not serve ECR Public pulls.
# - api pulls from ECR in us-east-1 (IPv4 host) through the endpoints: works.
# Near misses: the same dual-stack and ECR Public images in the VPC's NAT subnet pull over the
# internet.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

locals {
  ecr_east = "123456789012.dkr.ecr.us-east-1.amazonaws.com"
  ecr_west = "123456789012.dkr.ecr.us-west-2.amazonaws.com"
  ecr_dual = "123456789012.dkr-ecr.us-east-1.on.aws"
  images = {
    api      = "${local.ecr_east}/edge/api:4.2.1"
    proxy    = "nginx:1.27.2"
    exporter = "${local.ecr_west}/observability/exporter:0.9.3"
    stream   = "${local.ecr_dual}/edge/stream:2.0.1"
    docs     = "public.ecr.aws/nginx/nginx:1.27-alpine"
  }
  # service => [image, where it runs]
  services = {
    api        = ["api", "endpoints"]
    proxy      = ["proxy", "endpoints"]
    exporter   = ["exporter", "endpoints"]
    stream     = ["stream", "endpoints"]
    docs       = ["docs", "endpoints"]
    stream-nat = ["stream", "nat"]
    docs-nat   = ["docs", "nat"]
  }
}


resource "aws_vpc" "edge" {
  cidr_block           = "10.80.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.edge.id
  availability_zone = ["us-east-1a", "us-east-1b"][count.index]
  cidr_block        = "10.80.${count.index}.0/24"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.edge.id
}

resource "aws_route_table_association" "private" {
  count          = 2
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private.id
}

# egress subnets: a NAT gateway in a public subnet
resource "aws_internet_gateway" "edge" {
  vpc_id = aws_vpc.edge.id
}

resource "aws_subnet" "public" {
  vpc_id            = aws_vpc.edge.id
  availability_zone = "us-east-1a"
  cidr_block        = "10.80.100.0/24"
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.edge.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.edge.id
  }
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "edge" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public.id
  depends_on    = [aws_internet_gateway.edge]
}

resource "aws_subnet" "egress" {
  count             = 2
  vpc_id            = aws_vpc.edge.id
  availability_zone = ["us-east-1a", "us-east-1b"][count.index]
  cidr_block        = "10.80.${count.index + 10}.0/24"
}

resource "aws_route_table" "egress" {
  vpc_id = aws_vpc.edge.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.edge.id
  }
}

resource "aws_route_table_association" "egress" {
  count          = 2
  subnet_id      = aws_subnet.egress[count.index].id
  route_table_id = aws_route_table.egress.id
}

locals {
  subnets = {
    endpoints = aws_subnet.private[*].id
    nat       = aws_subnet.egress[*].id
  }
}

resource "aws_security_group" "endpoints" {
  name   = "edge-endpoints"
  vpc_id = aws_vpc.edge.id
}

resource "aws_security_group" "tasks" {
  name   = "edge-tasks"
  vpc_id = aws_vpc.edge.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group_rule" "endpoints_from_tasks" {
  type                     = "ingress"
  security_group_id        = aws_security_group.endpoints.id
  source_security_group_id = aws_security_group.tasks.id
  protocol                 = "tcp"
  from_port                = 443
  to_port                  = 443
}

resource "aws_vpc_endpoint" "ecr_api" {
  vpc_id              = aws_vpc.edge.id
  service_name        = "com.amazonaws.us-east-1.ecr.api"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = aws_subnet.private[*].id
  security_group_ids  = [aws_security_group.endpoints.id]
}

resource "aws_vpc_endpoint" "ecr_dkr" {
  vpc_id              = aws_vpc.edge.id
  service_name        = "com.amazonaws.us-east-1.ecr.dkr"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = aws_subnet.private[*].id
  security_group_ids  = [aws_security_group.endpoints.id]
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.edge.id
  service_name      = "com.amazonaws.us-east-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
}

resource "aws_iam_role" "execution" {
  name = "edge-execution"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_ecs_cluster" "edge" {
  name = "edge"
}

resource "aws_ecs_task_definition" "svc" {
  for_each                 = local.images
  family                   = "edge-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name      = each.key
    image     = each.value
    essential = true
  }])
  depends_on = [aws_iam_role_policy_attachment.execution]
}

resource "aws_ecs_service" "svc" {
  for_each        = local.services
  name            = each.key
  cluster         = aws_ecs_cluster.edge.id
  task_definition = aws_ecs_task_definition.svc[each.value[0]].arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets          = local.subnets[each.value[1]]
    security_groups  = [aws_security_group.tasks.id]
    assign_public_ip = false
  }
}
