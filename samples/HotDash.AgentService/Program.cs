using HotDash.AgentService.Health;
using HotDash.AgentService.Shopify;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSingleton<ShopifyHealthCheck>();
builder.Services.AddScoped<ShopifyAdminSession>();

var app = builder.Build();

app.MapGet("/health/shopify", (ShopifyHealthCheck check) => check.Check());
app.MapGet("/shop", (ShopifyAdminSession session, HttpContext context) => session.DescribeRequest(context));

// Incident-style mistake: a debug endpoint that dumps the environment, secrets included (HD1003).
app.MapGet("/debug/environment", () => Environment.GetEnvironmentVariables());

app.Run();
