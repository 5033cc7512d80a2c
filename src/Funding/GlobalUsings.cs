// What every slice of the service reads: its endpoints' attributes and the ledger's shared types.
global using Funding.Access;
global using Funding.Hosting.Input;
global using Funding.Hosting.OpenApi;
global using Funding.Hosting.Writing;
global using Funding.Shared;
global using Marten;
global using Microsoft.AspNetCore.Authorization;
global using Microsoft.AspNetCore.Mvc;
global using NodaTime;
global using Wolverine.Http;
global using Wolverine.Marten;
