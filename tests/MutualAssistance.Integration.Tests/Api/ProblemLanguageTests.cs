using MutualAssistance.Testing;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MutualAssistance.Integration.Tests;

/// <summary>
/// Problem details in the language of Accept-Language (English, Russian, Chinese; English for any other), their
/// type and field names the same in every language.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ProblemLanguageTests(ApiFixture fixture)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(null, "en", "Not found", "No such request for your authority.")]
    [InlineData("ru-RU,ru;q=0.9", "ru", "Не найдено", "Такого запроса у вашего органа нет.")]
    [InlineData("zh-CN", "zh", "未找到", "贵机关没有此请求。")]
    [InlineData("de-DE, fr;q=0.5", "en", "Not found", "No such request for your authority.")]
    public async Task A_problem_is_in_the_callers_language(string? acceptLanguage, string language, string title, string detail)
    {
        var (response, problem) = await Get($"/api/requests/{Guid.NewGuid()}", acceptLanguage);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(title, problem.GetProperty("title").GetString());
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
        Assert.Equal(language, response.Content.Headers.ContentLanguage.Single());
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_validation_problem_names_the_same_field_in_every_language()
    {
        var titles = new List<string>();
        var messages = new List<string>();
        foreach (var language in new[] { "en", "ru", "zh" })
        {
            var (response, problem) = await Get("/api/requests?person=---", language);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True(problem.GetProperty("errors").TryGetProperty("person", out _), language);
            Assert.Equal("https://tools.ietf.org/html/rfc9110#section-15.5.1", problem.GetProperty("type").GetString());
            titles.Add(problem.GetProperty("title").GetString()!);
            messages.Add(problem.GetProperty("errors").GetProperty("person")[0].GetString()!);
        }

        Assert.Equal(["One or more fields are not valid", "Одно или несколько полей заполнены неверно", "一个或多个字段无效"], titles);
        Assert.Equal([
            "A name to search for: at most 200 characters, with at least one letter or digit.",
            "Имя для поиска: не более 200 символов, хотя бы одна буква или цифра.",
            "要搜索的姓名：最多 200 个字符，至少包含一个字母或数字。"], messages);
    }

    [Theory]
    [InlineData("en", "Required.", "Required: at least one type of assistance.")]
    [InlineData("ru", "Обязательное поле.", "Обязательно: хотя бы один вид помощи.")]
    [InlineData("zh-CN", "必填。", "必填：至少一种协助事项。")]
    public async Task A_refused_filing_words_each_fields_message_in_the_callers_language(string language, string required, string assistance)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/requests")
        {
            Content = JsonContent.Create(new { requestingAuthority = "KZ-GP", requestedAuthority = "CN-MOJ", legalBasis = TestReferenceData.TreatyBasis, summaryOfFacts = "Facts." }),
        };
        request.Headers.TryAddWithoutValidation("Accept-Language", language);
        var response = await fixture.Api.As("KZ-GP", "filer").SendAsync(request, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("errors");
        Assert.Equal(required, errors.GetProperty("subject")[0].GetString());
        Assert.Equal(assistance, errors.GetProperty("assistanceTypes")[0].GetString());
    }

    private async Task<(HttpResponseMessage Response, JsonElement Problem)> Get(string path, string? acceptLanguage)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (acceptLanguage is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        }

        var response = await fixture.Api.As("KZ-GP", "handler").SendAsync(request, Cancel);
        return (response, await response.Content.ReadFromJsonAsync<JsonElement>(Cancel));
    }
}
