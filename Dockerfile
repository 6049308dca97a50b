# The signaling server as a container, like the seed's: ws://HOST:8000/ws/{client_id}, http://HOST:8000/status.
# Build: docker build -t signaling-server .    Run: docker run -p 8000:8000 signaling-server

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# The whole reactor (.dockerignore leaves out build output); signaling-server-dist writes the runnable jar: every module's POM must be present for
# Maven to resolve the project, and copying the tree keeps that true as modules are added.
COPY . .
RUN mvn -B -q -pl signaling-server-dist -am package -DskipTests \
 && cp signaling-server-launcher/target/signaling-server-launcher-*-all.jar /src/signaling-server.jar

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/signaling-server.jar /app/signaling-server.jar
ENV HOST=0.0.0.0 PORT=8000 LOG_LEVEL=info
EXPOSE 8000
USER 65534
CMD ["java", "-jar", "/app/signaling-server.jar"]
