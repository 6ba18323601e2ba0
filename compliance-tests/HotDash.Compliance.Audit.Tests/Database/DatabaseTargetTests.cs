using HotDash.Compliance.Audit.Database;
using Npgsql;

namespace HotDash.Compliance.Audit.Tests.Database;

public class DatabaseTargetTests
{
    [Fact]
    public void A_supabase_uri_is_parsed_and_displayed_without_its_password()
    {
        var target = DatabaseTarget.Parse("postgresql://postgres.abcd:p%40ss%2Fw0rd@aws-0-eu-central-1.pooler.supabase.com:6543/postgres?sslmode=require&pgbouncer=true");
        target.Builder.Host.Should().Be("aws-0-eu-central-1.pooler.supabase.com");
        target.Builder.Port.Should().Be(6543);
        target.Builder.Username.Should().Be("postgres.abcd");
        target.Builder.Password.Should().Be("p@ss/w0rd");
        target.Builder.SslMode.Should().Be(SslMode.Require);
        target.Display.Should().Be("postgres://postgres.abcd@aws-0-eu-central-1.pooler.supabase.com:6543/postgres");
        target.Mask("failed for p@ss/w0rd and p%40ss%2Fw0rd").Should().Be("failed for **** and ****");
    }

    [Fact]
    public void An_npgsql_connection_string_with_several_hosts_is_accepted()
    {
        var target = DatabaseTarget.Parse("Host=db-a.flycast:5433,db-b.internal;Database=hotdash;Username=u;Password=x");
        target.Hosts.Should().Equal("db-a.flycast", "db-b.internal");
        target.Display.Should().NotContain("x;").And.StartWith("postgres://u@");
    }

    [Theory]
    [InlineData("postgres://")]
    [InlineData("Database=x")]
    [InlineData("postgres://u:pw@host/db?sslmode=sometimes")]
    public void Unusable_values_fail_with_a_clear_message(string value)
    {
        var parse = () => DatabaseTarget.Parse(value);
        parse.Should().Throw<DatabaseTargetException>().Which.Message.Should().NotContain("pw");
    }
}
