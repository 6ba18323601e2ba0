using System.Linq;
using HotDash.Compliance.Audit.Migrations;

namespace HotDash.Compliance.Audit.Tests.Migrations;

/// <summary>Splitting migration files at top-level semicolons, as psql does.</summary>
public class SqlScriptTests
{
    [Fact]
    public void Semicolons_inside_strings_identifiers_comments_and_dollar_quotes_do_not_split()
    {
        const string Script = """
            -- a comment; with a semicolon
            CREATE TABLE "odd;name" (note text DEFAULT 'a;b', e text DEFAULT E'it\'s; fine');
            /* block; /* nested; */ still; */
            CREATE FUNCTION f() RETURNS text LANGUAGE plpgsql AS $fn$ BEGIN RETURN 'x;y'; END $fn$;
            DO $$ BEGIN PERFORM 1; END $$;
            SELECT 1
            """;
        var statements = SqlScript.Split(Script);
        statements.Select(s => s.Text.Split(' ')[0]).Should().Equal("CREATE", "CREATE", "DO", "SELECT");
        statements[1].Text.Should().EndWith("END $fn$");
    }

    [Fact]
    public void Offsets_point_at_the_first_word_after_leading_comments()
    {
        const string Script = "CREATE TABLE a (id int);\n\n-- why\nCREATE TABLE b (id int);";
        var second = SqlScript.Split(Script)[1];
        second.Offset.Should().Be(Script.IndexOf("CREATE TABLE b", System.StringComparison.Ordinal));
        second.Text.Should().Be("CREATE TABLE b (id int)");
    }

    [Theory]
    [InlineData("SELECT a$b FROM t; SELECT 2", 2)]   // $ inside an identifier is no dollar quote
    [InlineData("SELECT $1; SELECT 2", 2)]           // nor is a parameter
    [InlineData(";;", 0)]
    [InlineData("-- only a comment", 0)]
    public void Edge_cases(string script, int count) => SqlScript.Split(script).Should().HaveCount(count);
}
