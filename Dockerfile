# syntax=docker/dockerfile:1
# The receiver as a container: built with the SDK, run on the smaller ASP.NET runtime image as a
# non-root user, listening on 8080. Configuration comes only from environment variables
# (Zoom__..., Inbox__..., ConnectionStrings__Inbox); see docker-compose.yml and README "Scaling out".

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files alone, so a code change does not re-download packages.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ZoomWebhooks.Core/ZoomWebhooks.Core.csproj src/ZoomWebhooks.Core/
COPY src/ZoomWebhooks.AspNetCore/ZoomWebhooks.AspNetCore.csproj src/ZoomWebhooks.AspNetCore/
COPY src/ZoomWebhooks/ZoomWebhooks.csproj src/ZoomWebhooks/
RUN dotnet restore src/ZoomWebhooks/ZoomWebhooks.csproj
COPY appsettings.json appsettings.Development.json ./
COPY src/ src/
RUN dotnet publish src/ZoomWebhooks/ZoomWebhooks.csproj --configuration Release --no-restore --output /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app .
# The SQLite default keeps data/ under the working directory, data/keys the Data Protection key
# ring, and docker-compose.yml puts the recordings in data/recordings; the non-root user must own
# them, and nobody else may read them (0700, as the service creates them itself; a new named volume
# there takes this owner and mode).
RUN install -d -m 700 -o "$APP_UID" /app/data /app/data/keys /app/data/recordings
ENV ASPNETCORE_ENVIRONMENT=Production \
    ASPNETCORE_HTTP_PORTS=8080
EXPOSE 8080
# APP_UID is the unprivileged user the .NET images ship with.
USER $APP_UID
# The runtime image has neither curl nor wget; bash's /dev/tcp is enough for one GET. (The
# chiseled and Alpine variants have no bash: keep this base or change the check with it.)
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health/live HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["dotnet", "ZoomWebhooks.dll"]
