# papers in a container: the portal (papers serve) by default, with
# LibreOffice and fonts for agenda packs. Build:
#   docker build -t papers .
# Run (a council folder in the volume; see docs/operations.md, "Container"):
#   docker run -d --name papers --read-only --tmpfs /tmp \
#     -v papers:/srv/papers -p 8080:8080 papers

# The build stage: a static binary, built reproducibly (no paths, no build
# ID; the version comes from the module and the commit).
FROM golang:1.26-trixie AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -buildid=" -o /out/papers ./cmd/papers

# The run stage: Debian with LibreOffice Writer (no GUI) for converting Word
# papers in agenda packs, and the fonts the papers are likely to use.
FROM debian:trixie-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      ca-certificates tzdata libreoffice-writer-nogui fonts-liberation2 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /srv/papers --shell /usr/sbin/nologin papers \
 && mkdir -p /srv/papers && chown papers:papers /srv/papers
COPY --from=build /out/papers /usr/local/bin/papers
# LibreOffice writes its profile under HOME: with a read-only root
# filesystem, that is the /tmp tmpfs.
ENV HOME=/tmp TZ=Europe/London
USER 10001:10001
WORKDIR /srv/papers
VOLUME ["/srv/papers"]
EXPOSE 8080
ENTRYPOINT ["papers"]
CMD ["serve", "--addr", "0.0.0.0:8080"]
