global using Funding.Shared;
