"""Built-in dataset plugins, one package per dataset, in the seed's plugin format."""
